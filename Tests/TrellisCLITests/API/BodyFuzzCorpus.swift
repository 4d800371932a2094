import Foundation
import TrellisCore
import TrellisTesting

/// One request of the body fuzz.
struct BodyFuzzInput {
    var label: String
    var body: [UInt8]
    var headers: [String: String] = ["Content-Type": "application/json"]
    /// The API must answer exactly 400: malformed JSON, a wrong type, a missing required field.
    var expectsBadRequest = false
}

/// A request body as ordered `key: raw JSON` members, so that values can be anything,
/// including text that is not JSON at all.
struct BodyFuzzObject {
    var members: [(key: String, value: [UInt8])]

    init(_ members: [(String, JSONValue)]) {
        self.members = members.map { ($0.0, Array($0.1.serialized().utf8)) }
    }

    var bytes: [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (index, member) in members.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(JSONValue.string(member.key).serialized().utf8) + [UInt8(ascii: ":")] + member.value
        }
        return out + [UInt8(ascii: "}")]
    }

    /// The body with `key` set to `value` (replaced in place, or appended).
    func setting(_ key: String, _ value: [UInt8]) -> BodyFuzzObject {
        var copy = self
        if let index = copy.members.firstIndex(where: { $0.key == key }) {
            copy.members[index].value = value
        } else {
            copy.members.append((key, value))
        }
        return copy
    }

    func removing(_ key: String) -> BodyFuzzObject {
        var copy = self
        copy.members.removeAll { $0.key == key }
        return copy
    }
}

/// Builds the inputs for one operation from its valid-ish base body: every field set to every
/// value of the zoo (and to DAG texts where it takes YAML), each required field dropped, extra
/// and duplicate members, truncations, byte mutations, whole bodies that are not a JSON
/// object, and other content types.
struct BodyFuzzCorpus {
    let operation: BodyFuzzOperation
    let base: BodyFuzzObject
    let targets: BodyFuzzTargets
    /// Whether valid DAG texts sent to this operation are run.
    let runsSpecs: Bool

    func inputs(seed: UInt64) -> [BodyFuzzInput] {
        var random = SeededGenerator(seed: seed)
        var inputs = [BodyFuzzInput(label: "base", body: base.bytes)]
        let zoo = BodyFuzzValue.zoo(targets)
        let unknown = [BodyFuzzField(name: "unknownField", required: false, nullable: true),
                       BodyFuzzField(name: "__proto__", required: false, nullable: true)]
        for field in operation.fields + unknown {
            var values = zoo
            if field.name == "spec" { values += BodyFuzzSpecs.values(targets, runnable: runsSpecs) }
            for value in values {
                inputs.append(BodyFuzzInput(label: "\(field.name) = \(value.label)", body: base.setting(field.name, value.bytes).bytes,
                                            expectsBadRequest: field.refuses(value.kind)))
            }
            if field.required {
                inputs.append(BodyFuzzInput(label: "without required \(field.name)", body: base.removing(field.name).bytes,
                                            expectsBadRequest: true))
            } else if base.members.contains(where: { $0.key == field.name }) {
                inputs.append(BodyFuzzInput(label: "without \(field.name)", body: base.removing(field.name).bytes))
            }
        }
        inputs += members(&random) + wholeBodies() + truncations(&random) + byteMutations(&random) + contentTypes()
        return inputs
    }

    /// Duplicate keys, odd and many extra members.
    private func members(_ random: inout SeededGenerator) -> [BodyFuzzInput] {
        var inputs: [BodyFuzzInput] = []
        for member in base.members {
            var duplicated = base
            duplicated.members.append((member.key, Array("null".utf8)))
            inputs.append(BodyFuzzInput(label: "duplicate key \(member.key)", body: duplicated.bytes, expectsBadRequest: true))
        }
        let odd = ["", "\u{0}", "a\u{0}b", String(repeating: "k", count: 100 * 1024), "constructor", "$where", "😀", "\u{202E}"]
        for key in odd {
            inputs.append(BodyFuzzInput(label: "extra key \(key.prefix(20).debugDescription)",
                                        body: base.setting(key, Array(#""v""#.utf8)).bytes))
        }
        var many = base
        for index in 0..<20_000 { many.members.append(("extra\(index)", Array("\(random.next() % 1000)".utf8))) }
        inputs.append(BodyFuzzInput(label: "20,000 extra members", body: many.bytes))
        var rawKey = base.bytes
        rawKey.removeLast()
        inputs.append(BodyFuzzInput(label: "key with invalid UTF-8", body: rawKey + Array(#","k"#.utf8) + [0xFF, 0xFE] + Array(#"":1}"#.utf8)))
        return inputs
    }

    /// Bodies that are empty, not an object, not JSON, or JSON with something around it.
    private func wholeBodies() -> [BodyFuzzInput] {
        let requiresFields = operation.fields.contains(where: \.required)
        let text = String(decoding: base.bytes, as: UTF8.self)
        let bad: [(String, [UInt8])] = [
            ("null", Array("null".utf8)), ("true", Array("true".utf8)), ("0", Array("0".utf8)), ("-1", Array("-1".utf8)),
            ("a string", Array(#""x""#.utf8)), ("[]", Array("[]".utf8)), ("[{}]", Array("[{}]".utf8)),
            ("the base in an array", Array("[\(text)]".utf8)), ("{", Array("{".utf8)), ("}", Array("}".utf8)),
            ("{}}", Array("{}}".utf8)), ("two objects", Array("{}{}".utf8)), ("the base twice", base.bytes + base.bytes),
            ("trailing garbage", base.bytes + Array("x".utf8)), ("leading garbage", Array("x".utf8) + base.bytes),
            ("BOM before the base", [0xEF, 0xBB, 0xBF] + base.bytes),
            ("trailing comma", Array(text.dropLast().utf8) + Array(",}".utf8)),
            ("single quotes", Array(text.replacingOccurrences(of: "\"", with: "'").utf8)),
            ("a comment", Array("// c\n".utf8) + base.bytes), ("NaN literal", Array(#"{"x":NaN}"#.utf8)),
            ("plain text", Array("hello".utf8)), ("XML", Array("<body><name>x</name></body>".utf8)),
            ("form-encoded", Array("name=x&spec=steps%3A".utf8)), ("YAML", Array("name: x\nspec: |\n  steps: []\n".utf8)),
            ("a YAML alias bomb", Array(BodyFuzzSpecs.aliasBomb.utf8)), ("a NUL byte", [0]), ("0xFF bytes", [0xFF, 0xFE, 0xFD]),
            ("a lone BOM", [0xEF, 0xBB, 0xBF]), ("arrays 10,000 deep", BodyFuzzValue.nestedArrays(10_000)),
            ("objects 10,000 deep", BodyFuzzValue.nestedObjects(10_000)),
            ("objects \(JSONValue.maximumParseDepth + 1) deep", BodyFuzzValue.nestedObjects(JSONValue.maximumParseDepth + 1)),
            ("100,000 open braces", Array(String(repeating: #"{"a":"#, count: 100_000).utf8)),
            ("an unpaired surrogate key", Array(#"{"\ud800":1}"#.utf8)),
        ]
        var inputs = bad.map { BodyFuzzInput(label: "body: \($0.0)", body: $0.1, expectsBadRequest: true) }
        for (label, body) in [("empty", ""), ("whitespace", " \n\t\r "), ("{}", "{}")] {
            // An empty body counts as `{}` (API §1.2): a 400 only when a field is required.
            inputs.append(BodyFuzzInput(label: "body: \(label)", body: Array(body.utf8), expectsBadRequest: requiresFields))
        }
        inputs.append(BodyFuzzInput(label: "body: empty without Content-Type", body: [], headers: [:], expectsBadRequest: requiresFields))
        inputs.append(BodyFuzzInput(label: "body: 1 MiB of spaces", body: Array(repeating: 0x20, count: 1 << 20), expectsBadRequest: requiresFields))
        return inputs
    }

    /// The base cut short at many offsets: every prefix but the empty one is malformed.
    private func truncations(_ random: inout SeededGenerator) -> [BodyFuzzInput] {
        let bytes = base.bytes
        var offsets = Set(1..<min(bytes.count, 64))
        if bytes.count > 64 {
            offsets.formUnion((max(64, bytes.count - 32))..<bytes.count)
            for _ in 0..<48 { offsets.insert(Int.random(in: 64..<bytes.count, using: &random)) }
        }
        return offsets.sorted().map { BodyFuzzInput(label: "truncated at \($0)", body: Array(bytes[..<$0]), expectsBadRequest: true) }
    }

    /// Random byte flips, insertions and deletions (no expectation but "not a 5xx").
    private func byteMutations(_ random: inout SeededGenerator) -> [BodyFuzzInput] {
        let interesting: [UInt8] = [0x00, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x3A, 0x2C, 0x80, 0xC0, 0xFF, 0x0A, 0x2D, 0x2E, 0x2F]
        return (0..<40).map { index in
            var bytes = base.bytes
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                let byte = Bool.random(using: &random) ? interesting.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                default: if bytes.count > 1 { bytes.remove(at: position) }
                }
            }
            return BodyFuzzInput(label: "byte mutation \(index)", body: bytes)
        }
    }

    /// The base under other content types: the type is not checked (API §1.2), so these
    /// behave like the base.
    private func contentTypes() -> [BodyFuzzInput] {
        let types = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "application/xml",
                     "application/json; charset=utf-16", "application/yaml", "", "*/*", "application/json, text/plain", "a/b; c=\"d"]
        var inputs = types.map { BodyFuzzInput(label: "Content-Type \($0.debugDescription)", body: base.bytes, headers: ["Content-Type": $0]) }
        inputs.append(BodyFuzzInput(label: "no Content-Type", body: base.bytes, headers: [:]))
        inputs.append(BodyFuzzInput(label: "Content-Encoding gzip (not gzip)", body: base.bytes,
                                    headers: ["Content-Type": "application/json", "Content-Encoding": "gzip"]))
        return inputs
    }
}

extension BodyFuzzCorpus {
    /// For operations that start or enqueue runs: the base without the fields that make it
    /// conflict with an earlier run (`dagRunId`, `singleton`), with hostile values in the
    /// fields that are handed on to the run agent's command line. `tag` keeps run IDs unique.
    func agentInputs(tag: String) -> [BodyFuzzInput] {
        guard operation.fields.contains(where: { $0.name == "params" }) else { return [] }
        let open = base.removing("dagRunId").removing("singleton")
        let mark = "\(targets.sentinelPath)/\(targets.marker)"
        var params = ["-x", "--help", "-Infinity", "--params=x", "--", "A=1\nB=2", "$(touch \(mark)-p)", "`touch \(mark)-q`",
                      "../../etc/passwd", targets.canaryPath, "A=" + String(repeating: "p", count: 100 * 1024),
                      "A=" + String(repeating: "p", count: 200 * 1024), String(repeating: "q ", count: 300_000)].map { BodyFuzzValue.string($0) }
        params += [BodyFuzzValue("params object", raw: #"{"A":"-x","B":"--help"}"#, .object),
                   BodyFuzzValue("params array", raw: #"["-x","--help"]"#, .array([.string, .string]))]
        var inputs = params.map { BodyFuzzInput(label: "agent: params = \($0.label)", body: open.setting("params", $0.bytes).bytes) }
        let labels: [(String, JSONValue)] = [
            ("-x", ["-x"]), ("--help", ["--help"]), ("a,b", ["a,b"]), ("=", ["=x"]),
            ("200 KiB", [.string(String(repeating: "l", count: 200 * 1024))]),
            ("2,000 × 100 bytes", .array((0..<2_000).map { .string("l\($0)-" + String(repeating: "v", count: 100)) })),
        ]
        inputs += labels.map { BodyFuzzInput(label: "agent: labels \($0.0)", body: open.setting("labels", Array($0.1.serialized().utf8)).bytes) }
        for id in ["-\(tag)", "--\(tag)"] {
            inputs.append(BodyFuzzInput(label: "agent: dagRunId \(id)", body: open.setting("dagRunId", Array(JSONValue.string(id).serialized().utf8)).bytes))
        }
        if operation.fields.contains(where: { $0.name == "dagName" }) {
            for name in ["-fz", "--fz"] {
                inputs.append(BodyFuzzInput(label: "agent: dagName \(name)", body: open.setting("dagName", Array(JSONValue.string(name).serialized().utf8)).bytes))
            }
        }
        return inputs
    }
}
