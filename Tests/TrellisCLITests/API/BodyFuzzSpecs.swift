import Foundation

/// DAG texts for the fields that take YAML (`spec`): alias and merge-key bombs, deep and
/// huge documents, invalid YAML, and valid specs whose commands would leave a mark in the
/// sentinel folder if anything ran or evaluated them while loading.
enum BodyFuzzSpecs {
    /// A valid one-step spec whose step does nothing.
    static let quick = "steps:\n  - name: a\n    command: 'true'\n"

    /// Specs tried in `spec` fields. `runnable` operations (`POST /dag-runs`) run what is
    /// valid, so they get no spec whose run would touch files outside the home on purpose.
    static func values(_ targets: BodyFuzzTargets, runnable: Bool) -> [BodyFuzzValue] {
        var texts: [(String, String)] = [
            ("alias bomb", aliasBomb),
            ("merge-key bomb", mergeBomb),
            ("flow nesting 10,000 deep", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)),
            ("block nesting 300 deep", (0..<300).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"),
            ("2,000 steps", "steps:\n" + (0..<2_000).map { "  - {name: s\($0), command: 'true'}\n" }.joined()),
            ("1 MiB scalar", "description: " + String(repeating: "d", count: 1 << 20) + "\n" + quick),
            ("tab indentation", "steps:\n\t- command: x\n"),
            ("unclosed quote", "steps:\n  - command: 'x\n"),
            ("undefined alias", "steps: *nope\n"),
            ("recursive anchor", "a: &a [*a]\n" + quick),
            ("two documents", quick + "---\n" + quick),
            ("!!binary and custom tags", "x: !!binary aGVsbG8=\ny: !include /etc/passwd\n" + quick),
            ("!!python/object", "x: !!python/object:os.system ['touch \(targets.sentinelPath)/\(targets.marker)']\n" + quick),
            ("NUL in YAML", "steps:\n  - command: \"a\u{0}b\"\n"),
            ("BOM and CRLF", "\u{FEFF}steps:\r\n  - name: a\r\n    command: 'true'\r\n"),
            ("name with traversal", "name: ../../\(targets.marker)\n" + quick),
            ("name .hidden", "name: .hidden\n" + quick),
            ("steps is a string", "steps: ../../etc/passwd\n"),
            ("steps is a number", "steps: 1e309\n"),
            ("a sub-DAG run by path", "steps:\n  - {name: a, run: ../../etc/passwd}\n"),
            ("a scalar", "../../etc/passwd"),
            ("only a comment", "# nothing\n"),
            ("JSON text", #"{"steps":[{"name":"a","command":"true"}]}"#),
            ("a cycle", "steps:\n  - {name: a, command: 'true', depends: [b]}\n  - {name: b, command: 'true', depends: [a]}\n"),
        ]
        if !runnable {
            // Valid DAGs: validating or saving them must not run or evaluate anything.
            let mark = "\(targets.sentinelPath)/\(targets.marker)"
            texts += [
                ("commands touching the sentinel", """
                    params: "P=`touch \(mark)-param`"
                    env:
                      - X: "`touch \(mark)-env`"
                    dotenv: \(targets.canaryPath)
                    working_dir: \(targets.sentinelPath)
                    preconditions:
                      - condition: "`touch \(mark)-pre`"
                        expected: ""
                    steps:
                      - {name: a, command: "touch \(mark)-step"}
                    """),
                ("handlers touching the sentinel", """
                    handler_on:
                      exit: {command: "touch \(mark)-exit"}
                    steps:
                      - {name: a, command: "touch \(mark)-step", stdout: \(targets.canaryPath)}
                    """),
            ]
        }
        return texts.map { BodyFuzzValue.string($0.1, label: "spec: \($0.0)") }
    }

    /// Nine levels of ten aliases each: 10⁹ nodes if expanded.
    static var aliasBomb: String {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [" + Array(repeating: previous, count: 10).joined(separator: ", ") + "]\n"
        }
        return text + quick
    }

    /// Merge keys that double at every level.
    static var mergeBomb: String {
        var text = "m0: &m0 {k0: v}\n"
        for level in 1..<30 {
            text += "m\(level): &m\(level) {<<: [*m\(level - 1), *m\(level - 1)], k\(level): v}\n"
        }
        return text + quick
    }
}
