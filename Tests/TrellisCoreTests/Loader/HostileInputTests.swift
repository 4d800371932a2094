import Foundation
import Testing
@testable import TrellisCore

/// The loader faces files written by anyone: it must always answer, quickly, and never crash or
/// exhaust the machine.
@Suite("Loader: hostile input", .timeLimit(.minutes(1)))
struct HostileInputTests {
    /// An input with a short label, so test output does not print megabytes of YAML.
    struct Input: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        init(_ label: String, _ text: String) {
            self.label = label
            self.text = text
        }
        var testDescription: String { label }
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    // MARK: - Encoding

    @Test("invalid UTF-8 is an error naming the offset and line",
          arguments: [
              ([0xFF], 0, 1),
              ([0xC0, 0xAF], 0, 1),  // overlong "/"
              ([0xED, 0xA0, 0x80], 0, 1),  // UTF-16 surrogate
              (Array("steps:\n  - echo ".utf8) + [0xFF] + Array("\n".utf8), 16, 2),
              (Array("steps: [echo]\n# ".utf8) + [0xE2, 0x82], 16, 2),  // truncated sequence at the end
              (Array("steps: [echo]\ndescription: \"é\"\nx: ".utf8) + [0xC3, 0x28], 35, 3),
          ] as [([UInt8], Int, Int)])
    func invalidUTF8(input: [UInt8], offset: Int, line: Int) throws {
        let result = LoaderVerdict.check(bytes: input)
        #expect(result.dag == nil)
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.message == "file is not valid UTF-8 (bad byte at offset \(offset))")
        #expect(error.line == line)
    }

    @Test("a UTF-8 byte order mark is accepted")
    func byteOrderMark() {
        let result = LoaderVerdict.check(bytes: [0xEF, 0xBB, 0xBF] + bytes("steps: [echo]\n"))
        #expect(result.isValid, "\(result.diagnostics)")
    }

    @Test("NUL bytes are an error with their line, from text and from bytes",
          arguments: [
              Input("only NUL", "\0"),
              Input("NUL at the end of line 1", "steps: [echo]\0\n"),
              Input("NUL inside a command", "steps:\n  - echo a\0b\n"),
              Input("NUL on line 4", "steps: [echo]\n#\n\n\0"),
          ])
    func nulBytes(input: Input) throws {
        let text = input.text
        let expectedLine = text.prefix { $0 != "\0" }.filter { $0 == "\n" }.count + 1
        for result in [LoaderVerdict.check(text: text), LoaderVerdict.check(bytes: bytes(text))] {
            let error = try #require(result.errors.first)
            #expect(result.errors.count == 1 && result.dag == nil)
            #expect(error.message == "file contains a NUL byte")
            #expect(error.line == expectedLine)
        }
    }

    @Test("line endings: CRLF and lone CR count lines like LF")
    func lineEndings() {
        for ending in ["\n", "\r\n", "\r"] {
            let text = ["steps:", "  - name: a", "    command: echo", "    comand: x", ""].joined(separator: ending)
            let result = LoaderVerdict.check(text: text)
            #expect(result.errors.map(\.line) == [4], "ending \(ending.debugDescription): \(result.diagnostics)")
        }
    }

    // MARK: - Size and depth

    @Test("5,000 nested brackets: an error, no stack overflow",
          arguments: [
              Input("5,000 unclosed [", String(repeating: "[", count: 5000)),
              Input("5,000 closed [ ]", "steps: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"),
              Input("5,000 nested flow maps", "description: " + String(repeating: "{a: ", count: 5000) + "1" + String(repeating: "}", count: 5000) + "\nsteps: [echo]\n"),
              Input("5,000 compact block sequences", "steps:\n  - " + String(repeating: "- ", count: 5000) + "echo\n"),
          ])
    func deepNesting(input: Input) {
        let result = LoaderVerdict.check(text: input.text)
        #expect(!result.isValid)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.message.contains("nesting is") == true, "\(result.errors)")
    }

    @Test("nesting deeper than the loader's own limit (64) is an error with its line")
    func moderatelyDeepNesting() throws {
        // 100 levels of block maps under description: libyaml accepts it, the loader does not.
        var text = "steps: [echo]\ndescription:\n"
        for level in 1...100 { text += String(repeating: "  ", count: level) + "a:\n" }
        text += String(repeating: "  ", count: 101) + "leaf\n"
        let result = LoaderVerdict.check(text: text)
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.message == "nesting is deeper than 64 levels")
        #expect(error.line.map { (60...70).contains($0) } == true, "line \(String(describing: error.line))")

        let flow = LoaderVerdict.check(text: "description: " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "\nsteps: [echo]\n")
        #expect(flow.errors.map(\.message) == ["nesting is deeper than 64 levels"])
    }

    @Test("a 5 MB scalar loads, and a file over the size limit is rejected without parsing")
    func hugeScalar() {
        let size = 5 << 20
        let text = "description: \"" + String(repeating: "x", count: size) + "\"\nsteps: [echo]\n"
        let (result, _) = loaderElapsed { LoaderVerdict.check(text: text) }
        #expect(result.isValid)
        #expect(result.dag?.description?.utf8.count == size)

        let tooBig = [UInt8](repeating: UInt8(ascii: "#"), count: 9 << 20)
        let (rejected, _) = loaderElapsed { LoaderVerdict.check(bytes: tooBig) }
        #expect(rejected.errors.first?.message.hasPrefix("file is too large") == true)
    }

    // MARK: - Aliases

    static let billionLaughs = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        steps: [echo]
        """

    @Test("a billion-laughs alias bomb is an error, returned quickly",
          arguments: [
              Input("billion laughs", billionLaughs),
              Input("billion laughs inside a step env",
                    billionLaughs.replacingOccurrences(of: "steps: [echo]", with: "steps:\n  - name: x\n    command: echo\n    env: {BOMB: *i}")),
              Input("2,000 references to a 2,000-item anchor",
                    "big: &big [" + (0..<2000).map { "\"v\($0)\"" }.joined(separator: ",") + "]\n"
                        + "refs: [" + Array(repeating: "*big", count: 2000).joined(separator: ",") + "]\nsteps: [echo]\n"),
          ])
    func aliasBomb(input: Input) throws {
        let (result, _) = loaderElapsed { LoaderVerdict.check(text: input.text) }
        #expect(result.dag == nil)
        let error = try #require(result.errors.first)
        #expect(error.message.contains("alias bomb"))
    }

    @Test("aliases that are not bombs still work, and undefined or recursive ones are errors")
    func ordinaryAliases() {
        let fine = LoaderVerdict.check(text: """
            x-cmd: &cmd echo shared
            steps:
              - name: a
                command: *cmd
            """)
        #expect(fine.dag?.steps.first?.commands == ["echo shared"])
        #expect(fine.errors.map(\.message) == [#"unknown key "x-cmd""#])

        for text in ["a: &a [*a]\nsteps: [echo]\n", "steps: [*nowhere]\n"] {
            let result = LoaderVerdict.check(text: text)
            #expect(result.errors.count == 1 && result.dag == nil, "\(result.diagnostics)")
        }
    }

    // MARK: - Many lines

    @Test("a 100,000-line script loads")
    func hundredThousandLineScript() throws {
        let body = (0..<100_000).map { "      echo line \($0)\n" }.joined()
        let text = "steps:\n  - name: big\n    script: |\n" + body
        #expect(LoaderVerdict.lineCount(Array(text.utf8)) > 100_000)
        let (result, _) = loaderElapsed { LoaderVerdict.check(text: text) }
        #expect(result.isValid)
        let script = try #require(result.dag?.steps.first?.script)
        #expect(script.split(separator: "\n").count == 100_000)
    }

    @Test("a 100,000-line file of 25,000 steps loads as a chain")
    func hundredThousandLinesOfSteps() throws {
        let text = "steps:\n" + (0..<25_000).map { "  # step \($0)\n  - name: s\($0)\n    command: echo \($0)\n\n" }.joined()
        let (result, _) = loaderElapsed { LoaderVerdict.check(text: text) }
        #expect(result.isValid, "\(result.errors.prefix(3))")
        let steps = try #require(result.dag?.steps)
        #expect(steps.count == 25_000)
        #expect(steps.last?.depends == ["s24998"])
        #expect(steps.last?.line == 99_999)
    }

    @Test("a 10,000-step cycle is one error, found without recursion")
    func longCycle() throws {
        let count = 10_000
        let text = "steps:\n" + (0..<count).map { "  - name: s\($0)\n    depends: s\(($0 + 1) % count)\n    command: echo\n" }.joined()
        let (result, _) = loaderElapsed { LoaderVerdict.check(text: text) }
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.path == "steps" && error.line == 3)
        #expect(error.message.hasPrefix("cycle: s0 -> s1 -> s2 -> "))
        #expect(error.message.hasSuffix(" -> s9999 -> s0"))
    }

    @Test("a 100,000-line file of comments loads")
    func hundredThousandComments() {
        let text = String(repeating: "# comment\n", count: 100_000) + "steps:\n  - name: a\n    comand: echo\n"
        let result = LoaderVerdict.check(text: text)
        #expect(result.errors.map(\.line).contains(100_003))
    }

    // MARK: - Known hostile-input problems

    /// Every cycle through a node is reported with its full path, so the diagnostics grow with
    /// the square of the step count: 1,000 steps that each also depend on the first one produce
    /// 1,000 errors and about 4 MB of text (4,000 steps: ~460 MB of memory).
    @Test("cycle reports stay bounded when many cycles share steps")
    func manyOverlappingCycles() {
        let count = 1000
        let text = "steps:\n" + (0..<count).map { "  - name: s\($0)\n    depends: [s\(($0 + 1) % count), s0]\n    command: echo\n" }.joined()
        let result = LoaderVerdict.check(text: text)
        #expect(!result.isValid)
        let reportBytes = result.diagnostics.reduce(0) { $0 + $1.message.utf8.count }
        #expect(reportBytes < 1_000_000, "\(result.errors.count) errors, \(reportBytes) bytes of messages")
    }

    /// "Did you mean" costs an edit distance per candidate, quadratic in length: very long
    /// names get no suggestion, so thousands of long unknown targets stay cheap. Asserted on
    /// the result, not on time, so a slow machine cannot fail it.
    @Test("did-you-mean is not computed for very long names")
    func noSuggestionForLongNames() {
        let long = String(repeating: "n", count: 250)
        #expect(KeyStyle.suggestion(for: long + "x", among: [long + "y"]) == nil)
        #expect(KeyStyle.suggestion(for: "comand", among: ["command"]) == "command")
        let text = "type: graph\nsteps:\n" + (0..<24).map { index in
            "  - name: \(long)\(index)\n    depends: [\(String(repeating: "t", count: 250))\(index)]\n    command: echo\n"
        }.joined()
        let result = LoaderVerdict.check(text: text)
        #expect(result.errors.count == 24)
        #expect(result.errors.allSatisfy { !$0.message.contains("did you mean") })
    }
}
