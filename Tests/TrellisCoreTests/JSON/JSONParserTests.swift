import Testing
@testable import TrellisCore

@Suite("JSON parser")
struct JSONParserTests {
    static let validDocuments: [(String, JSONValue)] = [
        ("null", .null),
        ("true", .bool(true)),
        (" false ", .bool(false)),
        ("0", .integer(0)),
        ("-0", .integer(0)),
        ("42", .integer(42)),
        ("-17", .integer(-17)),
        ("9223372036854775807", .integer(Int.max)),
        ("9223372036854775808", .number(9_223_372_036_854_775_808.0)),
        ("1.0", .number(1.0)),
        ("2.5", .number(2.5)),
        ("-0.125", .number(-0.125)),
        ("1e3", .number(1000)),
        ("1E+2", .number(100)),
        ("25e-1", .number(2.5)),
        ("\"\"", .string("")),
        ("\"a/b\"", .string("a/b")),
        (#""\/\"\\\b\f\n\r\t""#, .string("/\"\\\u{08}\u{0C}\n\r\t")),
        (#""\u00e9\u4e2d""#, .string("é中")),
        (#""\ud83d\ude00""#, .string("😀")),
        ("\"héllo 😀\"", .string("héllo 😀")),
        ("[]", .array([])),
        ("{}", .object(JSONObject())),
        ("[1, \"two\", [true, null]]", .array([.integer(1), .string("two"), .array([.bool(true), .null])])),
        ("\t\r\n{ \"a\" : { \"b\" : [ ] } }\n", .object(["a": .object(["b": .array([])])])),
    ]

    @Test("parses valid documents", arguments: validDocuments)
    func parsesValid(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(text) == expected)
    }

    @Test func keepsObjectKeyOrder() throws {
        let value = try JSONValue.parse(#"{"zeta": 1, "alpha": 2, "mid": {"y": 1, "x": 2}}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["zeta", "alpha", "mid"])
        #expect(value["mid"]?.objectValue?.keys == ["y", "x"])
        #expect(value.serialized() == #"{"zeta":1,"alpha":2,"mid":{"y":1,"x":2}}"#)
    }

    @Test func distinguishesIntegersFromNumbers() throws {
        #expect(try JSONValue.parse("3") == .integer(3))
        #expect(try JSONValue.parse("3.0") == .number(3))
        #expect(try JSONValue.parse("3e0") == .number(3))
    }

    static let invalidDocuments: [(text: String, offset: Int, message: String)] = [
        ("", 0, "unexpected end of input"),
        ("   ", 3, "unexpected end of input"),
        ("nul", 0, "invalid literal"),
        ("True", 0, "unexpected character \"T\""),
        ("01", 1, "leading zeros"),
        ("-", 1, "expected a digit"),
        ("1.", 2, "after the decimal point"),
        ("1e", 2, "exponent"),
        (".5", 0, "unexpected character \".\""),
        ("+1", 0, "unexpected character \"+\""),
        ("1e999", 0, "out of range"),
        ("[1,]", 3, "unexpected character \"]\""),
        ("[1 2]", 3, "expected \",\" or \"]\""),
        ("{\"a\":1,}", 7, "expected a string key"),
        ("{\"a\" 1}", 5, "expected \":\""),
        ("{'a':1}", 1, "expected a string key"),
        ("{\"a\":1,\"a\":2}", 7, "duplicate key \"a\""),
        ("[1", 2, "unterminated array"),
        ("{\"a\":1", 6, "unterminated object"),
        ("\"abc", 0, "unterminated string"),
        ("\"a\nb\"", 2, "unescaped control character 0x0A"),
        (#""\x""#, 1, "invalid escape"),
        (#""\u12G4""#, 5, "invalid hex digit"),
        (#""\ud83d""#, 1, "unpaired high surrogate"),
        (#""\ud83d\u0041""#, 7, "not followed by a low surrogate"),
        (#""\ude00""#, 1, "unpaired low surrogate"),
        ("1 2", 2, "after the JSON value"),
        ("{} x", 3, "after the JSON value"),
        ("// c\n1", 0, "unexpected character \"/\""),
        ("[é]", 1, "unexpected character \"é\""),
    ]

    @Test("rejects invalid documents with an offset", arguments: invalidDocuments)
    func rejectsInvalid(text: String, offset: Int, message: String) {
        #expect {
            _ = try JSONValue.parse(text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.offset == offset && error.message.contains(message)
        }
    }

    @Test func errorDescriptionNamesTheOffset() {
        do {
            _ = try JSONValue.parse("[1,,2]")
            Issue.record("expected a parse error")
        } catch {
            #expect(error.offset == 3)
            #expect(error.description == "unexpected character \",\" at offset 3")
        }
    }

    @Test func offsetsCountUTF8Bytes() {
        // "é" is two bytes, so the stray "x" is at byte 6 (not character 5).
        #expect(throws: JSONParseError(message: "expected \",\" or \"]\" but found character \"x\"", offset: 6)) {
            try JSONValue.parse("[\"é\" x]")
        }
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSONValue.maximumParseDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONValue.parse(text)
        var levels = 0
        while case .array(let items) = value {
            levels += 1
            guard let first = items.first else { break }
            value = first
        }
        #expect(levels == depth)
    }

    @Test func rejectsNestingBeyondTheLimit() {
        let depth = JSONValue.maximumParseDepth + 1
        let text = String(repeating: "{\"a\":", count: depth - 1) + "[]" + String(repeating: "}", count: depth - 1)
        #expect {
            _ = try JSONValue.parse(text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.message.contains("nesting deeper than 512") && error.offset == (depth - 1) * 5
        }
    }

    @Test func deepGarbageFailsWithoutCrashing() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }
}
