import Testing
@testable import TrellisCore

@Suite("continue_on decisions (§8.1)")
struct ContinueOnDecisionTests {
    typealias Support = RunTestSupport

    static let outputRows: [(String, [String], [String], Bool)] = [
        ("substring of a line", ["done"], ["step", "all done now"], true),
        ("no line contains it", ["done"], ["step", "nothing"], false),
        ("case-sensitive", ["Done"], ["done"], false),
        ("nothing configured", [], ["done"], false),
        ("empty stdout", ["done"], [], false),
        ("not across lines", ["a b"], ["a", "b"], false),
        ("regex anywhere in a line", ["re:warn(ing)?"], ["a warning here"], true),
        ("regex anchored per line", ["re:^ERR[0-9]+$"], ["ok", "ERR42"], true),
        ("anchored regex misses a longer line", ["re:^ERR[0-9]+$"], ["xERR42", "ERR4x"], false),
        ("regex no match", ["re:^fatal"], ["not fatal"], false),
        ("re: is a prefix only", ["re:"], ["anything"], true),
        ("re: text is not literal", ["re:a.c"], ["abc"], true),
        ("literal dot is literal", ["a.c"], ["abc"], false),
        ("invalid regex matches nothing", ["re:(unclosed"], ["(unclosed"], false),
        ("invalid regex does not hide a literal", ["re:(unclosed", "ok"], ["it is ok"], true),
        ("second entry matches", ["nope", "re:b+$"], ["abbb"], true),
    ]

    @Test("output strings and re: patterns against stdout lines", arguments: outputRows)
    func outputMatching(_ label: String, output: [String], lines: [String], expected: Bool) {
        #expect(Support.continueOn(output: output).matchesOutput(lines: lines) == expected, "\(label)")
    }

    @Test("lines may be substrings of the captured text")
    func substringLines() {
        let stdout = "first\nsecond: RETRYABLE\nthird"
        let continueOn = Support.continueOn(output: ["re:RETRYABLE$"])
        #expect(continueOn.matchesOutput(lines: stdout.split(separator: "\n")))
        #expect(!Support.continueOn(output: ["re:^RETRYABLE"]).matchesOutput(lines: stdout.split(separator: "\n")))
    }

    static let failureRows: [(String, ContinueOn, NodeState, Bool, Bool)] = [
        ("nothing set", Support.continueOn(), Support.node("a", .failed, exitCode: 1), false, false),
        ("failed flag", Support.continueOn(failed: true), Support.node("a", .failed, exitCode: 1), true, false),
        ("listed exit code", Support.continueOn(exitCodes: [3, 4]), Support.node("a", .failed, exitCode: 4), true, false),
        ("unlisted exit code", Support.continueOn(exitCodes: [3, 4]), Support.node("a", .failed, exitCode: 1), false, false),
        ("no exit code", Support.continueOn(exitCodes: [3]), Support.node("a", .failed), false, false),
        ("output matched", Support.continueOn(output: ["x"]), Support.node("a", .failed, outputMatched: true), true, false),
        ("output not matched", Support.continueOn(output: ["x"]), Support.node("a", .failed), false, false),
        ("matched flag without output configured", Support.continueOn(), Support.node("a", .failed, outputMatched: true), false, false),
        ("skipped flag does not continue failures", Support.continueOn(skipped: true), Support.node("a", .failed), false, false),
        ("mark_success alone continues nothing", Support.continueOn(markSuccess: true), Support.node("a", .failed), false, false),
        ("mark_success with failed", Support.continueOn(failed: true, markSuccess: true), Support.node("a", .failed), true, true),
        ("mark_success with exit code", Support.continueOn(exitCodes: [2], markSuccess: true), Support.node("a", .failed, exitCode: 2), true, true),
        ("mark_success with unlisted exit code", Support.continueOn(exitCodes: [2], markSuccess: true), Support.node("a", .failed, exitCode: 1), false, false),
        ("mark_success on a succeeded node", Support.continueOn(failed: true, markSuccess: true), Support.node("a", .succeeded), true, false),
    ]

    @Test("failures continued and marked as success", arguments: failureRows)
    func failures(_ label: String, continueOn: ContinueOn, node: NodeState, continues: Bool, marks: Bool) {
        if node.status == .failed { #expect(continueOn.continuesFailure(of: node) == continues, "\(label)") }
        #expect(continueOn.allowsDependents(after: node) == continues, "\(label)")
        #expect(continueOn.marksSuccess(of: node) == marks, "\(label)")
    }
}
