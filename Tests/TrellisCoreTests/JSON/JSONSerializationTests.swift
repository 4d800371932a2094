import Testing
@testable import TrellisCore

@Suite("JSON serialization and objects")
struct JSONSerializationTests {
    static let cases: [(JSONValue, String)] = [
        (.null, "null"),
        (.bool(true), "true"),
        (.integer(50), "50"),
        (.integer(-3), "-3"),
        (.number(2.5), "2.5"),
        (.number(3.0), "3"),
        (.number(-0.0), "0"),
        (.number(0.1), "0.1"),
        (.number(1e21), "1e+21"),
        (.number(1.5e-7), "1.5e-07"),
        (.number(.infinity), "null"),
        (.number(.nan), "null"),
        (.string("a/b"), "\"a/b\""),
        (.string("quote\" back\\ nl\n tab\t"), #""quote\" back\\ nl\n tab\t""#),
        (.string("\u{01}\u{1F}\u{08}\u{0C}\r"), #""\u0001\u001f\b\f\r""#),
        (.string("é中😀"), "\"é中😀\""),
        (.array([1, "x", .null]), "[1,\"x\",null]"),
        (["b": 1, "a": [true, false]], #"{"b":1,"a":[true,false]}"#),
        (.object(JSONObject()), "{}"),
    ]

    @Test("serializes compactly", arguments: cases)
    func serializes(value: JSONValue, expected: String) {
        #expect(value.serialized() == expected)
    }

    @Test func sortsKeysOnRequest() {
        let value: JSONValue = ["b": ["z": 1, "y": 2], "a": 1]
        #expect(value.serialized(sortedKeys: true) == #"{"a":1,"b":{"y":2,"z":1}}"#)
        #expect(value.serialized() == #"{"b":{"z":1,"y":2},"a":1}"#)
    }

    @Test("round-trips through parse", arguments: [
        #"{"z":[1,2.5,"x\n",{"k":null}],"a":true}"#,
        #"["\u0001","é","\\","\""]"#,
        #"[-1,0,1e+21,1.5e-07]"#,
    ])
    func roundTrips(text: String) throws {
        let value = try JSONValue.parse(text)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test func objectEqualityDependsOnOrder() {
        let first: JSONObject = ["a": 1, "b": 2]
        let second: JSONObject = ["b": 2, "a": 1]
        #expect(first != second)
        #expect(first == JSONObject([("a", 1), ("b", 2)]))
        #expect(Set([first, second, first]).count == 2)
    }

    @Test func objectSubscriptReplacesInPlaceAndRemoves() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = "two"
        object["d"] = 4
        object["a"] = nil
        #expect(object.keys == ["b", "c", "d"])
        #expect(object["b"] == .string("two"))
        #expect(object["a"] == nil)
        #expect(object.count == 3)
    }

    @Test func objectInitKeepsFirstPositionAndLastValue() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == .integer(3))
    }

    @Test func accessors() {
        #expect(JSONValue.number(4.0).intValue == 4)
        #expect(JSONValue.number(4.5).intValue == nil)
        #expect(JSONValue.integer(7).doubleValue == 7)
        #expect(JSONValue.string("x").stringValue == "x")
        #expect(JSONValue.bool(false).boolValue == false)
        #expect(JSONValue.array([1]).isScalar == false)
        #expect(JSONValue.null.plainText == "")
        #expect(JSONValue.number(2.0).plainText == "2")
        #expect(JSONValue.array(["a"]).plainText == #"["a"]"#)
        #expect(JSONValue.integer(1).kindName == "integer")
    }
}
