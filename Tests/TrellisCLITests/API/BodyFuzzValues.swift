import Foundation
import TrellisCore

/// A JSON fragment the body fuzz puts where a field's value goes, with what the API should
/// make of it.
struct BodyFuzzValue {
    /// The JSON type of the fragment once parsed; `malformed` when it is not valid JSON (or is
    /// nested deeper than the parser accepts).
    indirect enum Kind {
        case malformed
        case null
        case bool
        case integer(Int)
        case number(Double)
        case string
        case array([Kind])
        case object
    }

    var label: String
    var bytes: [UInt8]
    var kind: Kind

    init(_ label: String, _ bytes: [UInt8], _ kind: Kind) {
        self.label = label
        self.bytes = bytes
        self.kind = kind
    }

    init(_ label: String, raw: String, _ kind: Kind) {
        self.init(label, Array(raw.utf8), kind)
    }

    /// A string value, JSON-escaped.
    static func string(_ text: String, label: String? = nil) -> BodyFuzzValue {
        BodyFuzzValue(label ?? "string \(text.prefix(40).debugDescription) (\(text.utf8.count) bytes)",
                      raw: JSONValue.string(text).serialized(), .string)
    }

    /// A string literal whose bytes are written as given between the quotes (invalid UTF-8,
    /// raw control characters, escapes).
    static func rawString(_ label: String, _ inner: [UInt8], _ kind: Kind = .string) -> BodyFuzzValue {
        BodyFuzzValue(label, [UInt8(ascii: "\"")] + inner + [UInt8(ascii: "\"")], kind)
    }

    /// `depth` arrays inside each other around `1`.
    static func nestedArrays(_ depth: Int) -> [UInt8] {
        Array(repeating: UInt8(ascii: "["), count: depth) + [UInt8(ascii: "1")] + Array(repeating: UInt8(ascii: "]"), count: depth)
    }

    /// `depth` objects inside each other (`{"a":{"a":…1}}`).
    static func nestedObjects(_ depth: Int) -> [UInt8] {
        Array(String(repeating: #"{"a":"#, count: depth).utf8) + [UInt8(ascii: "1")] + Array(repeating: UInt8(ascii: "}"), count: depth)
    }
}

/// Where hostile strings point: a canary file and a sentinel folder next to the test's home.
struct BodyFuzzTargets {
    var canaryName: String
    var canaryPath: String
    var sentinelPath: String
    /// A token in every name the fuzz would create if a value escaped into the file system.
    var marker: String
}

extension BodyFuzzValue {
    /// Every value tried in every field: each JSON type, numbers at and past the limits,
    /// non-JSON numbers, hostile and odd strings, arrays and objects, nesting at and past the
    /// parser's limit (512), long values.
    static func zoo(_ targets: BodyFuzzTargets) -> [BodyFuzzValue] {
        let depth = JSONValue.maximumParseDepth
        var values: [BodyFuzzValue] = [
            BodyFuzzValue("null", raw: "null", .null),
            BodyFuzzValue("true", raw: "true", .bool),
            BodyFuzzValue("false", raw: "false", .bool),
            BodyFuzzValue("0", raw: "0", .integer(0)),
            BodyFuzzValue("1", raw: "1", .integer(1)),
            BodyFuzzValue("-1", raw: "-1", .integer(-1)),
            BodyFuzzValue("4", raw: "4", .integer(4)),
            BodyFuzzValue("10", raw: "10", .integer(10)),
            BodyFuzzValue("86401", raw: "86401", .integer(86401)),
            BodyFuzzValue("Int.max", raw: "9223372036854775807", .integer(Int.max)),
            BodyFuzzValue("Int.min", raw: "-9223372036854775808", .integer(Int.min)),
            BodyFuzzValue("Int.max+1", raw: "9223372036854775808", .number(9223372036854775808)),
            BodyFuzzValue("Int.min-1", raw: "-9223372036854775809", .number(-0x1p63)),
            BodyFuzzValue("30 digits", raw: "123456789012345678901234567890", .number(1.2345678901234568e29)),
            BodyFuzzValue("1.5", raw: "1.5", .number(1.5)),
            BodyFuzzValue("4.0", raw: "4.0", .number(4)),
            BodyFuzzValue("-0.0", raw: "-0.0", .number(0)),
            BodyFuzzValue("1E+2", raw: "1E+2", .number(100)),
            BodyFuzzValue("1e308", raw: "1e308", .number(1e308)),
            BodyFuzzValue("-1e308", raw: "-1e308", .number(-1e308)),
            BodyFuzzValue("4.9e-324", raw: "4.9e-324", .number(.leastNonzeroMagnitude)),
            BodyFuzzValue("1e309", raw: "1e309", .malformed),
            BodyFuzzValue("10,000 digits", raw: String(repeating: "9", count: 10_000), .malformed),
            BodyFuzzValue("NaN", raw: "NaN", .malformed),
            BodyFuzzValue("Infinity", raw: "Infinity", .malformed),
            BodyFuzzValue("-Infinity", raw: "-Infinity", .malformed),
            BodyFuzzValue("01", raw: "01", .malformed),
            BodyFuzzValue("+1", raw: "+1", .malformed),
            BodyFuzzValue(".5", raw: ".5", .malformed),
            BodyFuzzValue("1.", raw: "1.", .malformed),
            BodyFuzzValue("0x10", raw: "0x10", .malformed),
            BodyFuzzValue("1e", raw: "1e", .malformed),
            BodyFuzzValue("-", raw: "-", .malformed),
            BodyFuzzValue("undefined", raw: "undefined", .malformed),
            BodyFuzzValue("True", raw: "True", .malformed),
            BodyFuzzValue("single quotes", raw: "'x'", .malformed),
        ]
        let strings = [
            "", " ", "x", "0", "true", "null", "NaN", "Infinity", "-Infinity", "1e308", "-1", "-x", "--help", "--",
            "../../etc/passwd", "/etc/passwd", "..", ".", "../../\(targets.canaryName)", targets.canaryPath,
            targets.sentinelPath + "/" + targets.marker, "../../../../../../tmp/\(targets.marker)", "~/.ssh/id_rsa",
            #"C:\Windows\win.ini"#, "file:///etc/passwd", "a/b", "%2e%2e%2f\(targets.marker)", "a\u{0}b", "\u{0}",
            "line\nbreak", "\r\n", "tab\there", "\u{202E}evil", "é", "😀", "\u{FEFF}bom", "$(touch \(targets.sentinelPath)/\(targets.marker))",
            "`touch \(targets.sentinelPath)/\(targets.marker)`", "${HOME}", "A=1 B=2", #"A="x y""#, #"{"A":"1"}"#, "[1,2]",
            "%s%n%x", "<script>alert(1)</script>", "' OR 1=1 --", "a,b", String(repeating: "a", count: 40),
            String(repeating: "a", count: 41), "search", "validate", ".hidden", "-fz", "a b",
        ]
        values += strings.map { string($0) }
        values += [
            string(String(repeating: "a", count: 100 * 1024), label: "100 KiB of a"),
            string(String(repeating: "é", count: 50 * 1024), label: "100 KiB of é"),
            string(String(repeating: "a", count: 200 * 1024), label: "200 KiB of a"),
            string("A=" + String(repeating: "x", count: 1 << 20), label: "1 MiB param"),
            rawString(#"unpaired \ud800"#, Array(#"\ud800"#.utf8), .malformed),
            rawString(#"unpaired \udc00"#, Array(#"\udc00"#.utf8), .malformed),
            rawString(#"\ud800\u0041"#, Array(#"\ud800\u0041"#.utf8), .malformed),
            rawString(#"\ud800\ud800"#, Array(#"\ud800\ud800"#.utf8), .malformed),
            rawString(#"surrogate pair \ud83d\ude00"#, Array(#"\ud83d\ude00"#.utf8)),
            rawString(#"escaped NUL \u0000"#, Array(#"a\u0000b"#.utf8)),
            rawString(#"invalid escape \x41"#, Array(#"\x41"#.utf8), .malformed),
            rawString(#"short escape \u12"#, Array(#"\u12"#.utf8), .malformed),
            rawString("raw NUL byte", [0x61, 0x00, 0x62], .malformed),
            rawString("raw newline", [0x61, 0x0A, 0x62], .malformed),
            rawString("raw 0x7F", [0x61, 0x7F, 0x62]),
            rawString("invalid UTF-8 0xFF", [0x61, 0xFF, 0x62]),
            rawString("invalid UTF-8 0xC0 0xAF (overlong /)", [0x2E, 0x2E, 0xC0, 0xAF, 0x78]),
            rawString("UTF-8 encoded surrogate", [0xED, 0xA0, 0x80]),
            rawString("lone continuation byte", [0x80]),
            rawString("truncated UTF-8", [0xE2, 0x82]),
            rawString("unterminated string", Array("abc".utf8) + [UInt8(ascii: "\\")], .malformed),
            BodyFuzzValue("[]", raw: "[]", .array([])),
            BodyFuzzValue("[null]", raw: "[null]", .array([.null])),
            BodyFuzzValue("[1]", raw: "[1]", .array([.integer(1)])),
            BodyFuzzValue("[true]", raw: "[true]", .array([.bool])),
            BodyFuzzValue(#"["x"]"#, raw: #"["x"]"#, .array([.string])),
            BodyFuzzValue(#"["x","x"]"#, raw: #"["x","x"]"#, .array([.string, .string])),
            BodyFuzzValue(#"[""]"#, raw: #"[""]"#, .array([.string])),
            BodyFuzzValue(#"["-x"]"#, raw: #"["-x"]"#, .array([.string])),
            BodyFuzzValue(#"["a,b"]"#, raw: #"["a,b"]"#, .array([.string])),
            BodyFuzzValue(#"["x\u0000"]"#, raw: #"["x\u0000"]"#, .array([.string])),
            BodyFuzzValue(#"[["x"]]"#, raw: #"[["x"]]"#, .array([.array([.string])])),
            BodyFuzzValue("[{}]", raw: "[{}]", .array([.object])),
            BodyFuzzValue("[1,]", raw: "[1,]", .malformed),
            BodyFuzzValue("[", raw: "[", .malformed),
            BodyFuzzValue("10,000 strings", Array(("[" + Array(repeating: #""x""#, count: 10_000).joined(separator: ",") + "]").utf8),
                          .array(Array(repeating: .string, count: 3))),
            BodyFuzzValue("[100 KiB string]", Array(("[\"" + String(repeating: "l", count: 100 * 1024) + "\"]").utf8), .array([.string])),
            BodyFuzzValue("{}", raw: "{}", .object),
            BodyFuzzValue(#"{"a":1}"#, raw: #"{"a":1}"#, .object),
            BodyFuzzValue(#"{"A":"-x"}"#, raw: #"{"A":"-x"}"#, .object),
            BodyFuzzValue("__proto__", raw: #"{"__proto__":{"polluted":true}}"#, .object),
            BodyFuzzValue(#"{"":""}"#, raw: #"{"":""}"#, .object),
            BodyFuzzValue("object with a duplicate key", raw: #"{"a":1,"a":2}"#, .malformed),
            BodyFuzzValue("{1:2}", raw: "{1:2}", .malformed),
            BodyFuzzValue("arrays nested \(depth - 1) deep", nestedArrays(depth - 1), .array([.array([])])),
            BodyFuzzValue("arrays nested \(depth) deep", nestedArrays(depth), .malformed),
            BodyFuzzValue("arrays nested 10,000 deep", nestedArrays(10_000), .malformed),
            BodyFuzzValue("objects nested \(depth - 1) deep", nestedObjects(depth - 1), .object),
            BodyFuzzValue("objects nested 10,000 deep", nestedObjects(10_000), .malformed),
            BodyFuzzValue("100,000 open brackets", Array(repeating: UInt8(ascii: "["), count: 100_000), .malformed),
        ]
        return values
    }
}
