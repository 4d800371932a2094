import Foundation
import Testing
import TrellisTesting
@testable import TrellisCore

/// Seeded fuzzing of the loader: random bytes, random YAML-like text, and about 2,000 mutations
/// of the valid fixtures. Every input must get a verdict (valid, or at least one error with a
/// message), sane diagnostics, and the same answer when loaded again. Seeds are fixed, so a
/// failure reproduces exactly.
@Suite("Loader: fuzz", .timeLimit(.minutes(1)))
struct LoaderFuzzTests {
    static let mutantsPerFixture = 22
    static let specials: [UInt8] = Array(":[{&*!|>".utf8) + Array("]}-#\"'%@`?,\t\n ".utf8)

    /// Every valid fixture, as `folder/file`.
    static let fixtures: [String] =
        LoaderTestSupport.fixtureNames(in: "spec-examples").map { "spec-examples/\($0)" }
        + LoaderTestSupport.fixtureNames(in: "dialects").map { "dialects/\($0)" }

    /// A stable seed per name (FNV-1a), so adding a fixture does not change the others' mutants.
    static func seed(_ name: String) -> UInt64 {
        name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }

    /// Loads an input, checks the invariants and that a second load gives the same result;
    /// returns a description of what is wrong, or `nil`.
    static func verdictProblem(_ input: [UInt8], label: String) -> String? {
        let result = DAGLoader.load(bytes: input, fileName: "fuzz.yaml")
        var problems = LoaderVerdict.problems(result, fileName: "fuzz.yaml", lineCount: LoaderVerdict.lineCount(input))
        if DAGLoader.load(bytes: input, fileName: "fuzz.yaml") != result { problems.append("not deterministic") }
        if problems.isEmpty { return nil }
        let preview = String(decoding: input.prefix(300), as: UTF8.self).debugDescription
        return "\(label): \(problems) — input \(preview)"
    }

    // MARK: - Mutations

    enum Mutation: CaseIterable {
        case deleteLine, duplicateLine, swapLines, flipBit, insertSpecial, shiftIndent, truncate, joinLines
    }

    static func mutate(_ input: [UInt8], _ mutation: Mutation, using rng: inout SeededGenerator) -> [UInt8] {
        var lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        func line() -> Int { Int.random(in: 0..<lines.count, using: &rng) }
        func joined() -> [UInt8] { Array(lines.joined(separator: [UInt8(ascii: "\n")])) }
        switch mutation {
        case .deleteLine:
            lines.remove(at: line())
            return joined()
        case .duplicateLine:
            let index = line()
            lines.insert(lines[index], at: index)
            return joined()
        case .swapLines:
            lines.swapAt(line(), line())
            return joined()
        case .shiftIndent:
            let index = line()
            if Bool.random(using: &rng) {
                lines[index].insert(contentsOf: Array("  ".utf8), at: 0)
            } else {
                lines[index].removeFirst(min(2, lines[index].count))
            }
            return joined()
        case .joinLines:
            guard lines.count > 1 else { return input }
            let index = Int.random(in: 0..<(lines.count - 1), using: &rng)
            lines[index] += lines.remove(at: index + 1)
            return joined()
        case .flipBit:
            guard !input.isEmpty else { return input }
            var bytes = input
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            return bytes
        case .insertSpecial:
            var bytes = input
            let special = specials[Int.random(in: 0..<specials.count, using: &rng)]
            bytes.insert(special, at: Int.random(in: 0...bytes.count, using: &rng))
            return bytes
        case .truncate:
            return Array(input.prefix(Int.random(in: 0...input.count, using: &rng)))
        }
    }

    @Test("mutations of every valid fixture always get a verdict", arguments: fixtures)
    func mutatedFixture(fixture: String) throws {
        let parts = fixture.split(separator: "/").map(String.init)
        let original = Array(try LoaderTestSupport.fixtureText(parts[0], parts[1]).utf8)
        var rng = SeededGenerator(seed: Self.seed(fixture))
        var failures: [String] = []
        var invalid = 0
        for index in 0..<Self.mutantsPerFixture {
            var mutant = original
            var applied: [Mutation] = []
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let mutation = Mutation.allCases[Int.random(in: 0..<Mutation.allCases.count, using: &rng)]
                mutant = Self.mutate(mutant, mutation, using: &rng)
                applied.append(mutation)
            }
            if let problem = Self.verdictProblem(mutant, label: "mutant \(index) \(applied)") { failures.append(problem) }
            if !DAGLoader.load(bytes: mutant, fileName: "fuzz.yaml").isValid { invalid += 1 }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(Self.mutantsPerFixture) mutants: \(failures.prefix(3))")
        #expect(invalid > 0, "no mutant was invalid; the mutations are too gentle")
    }

    @Test("the mutation corpus has about 2,000 documents")
    func corpusSize() {
        #expect(Self.fixtures.count == 92)
        #expect((1900...2200).contains(Self.fixtures.count * Self.mutantsPerFixture))
    }

    // MARK: - Random input

    @Test("random bytes always get a verdict")
    func randomBytes() {
        var rng = SeededGenerator(seed: 0x7E11_15)
        var failures: [String] = []
        for index in 0..<300 {
            let count = Int.random(in: 0...400, using: &rng)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if let problem = Self.verdictProblem(bytes, label: "random \(index)") { failures.append(problem) }
        }
        #expect(failures.isEmpty, "\(failures.count) inputs: \(failures.prefix(3))")
    }

    static let tokens: [String] = [
        "steps", "name", "command", "depends", "type", "call", "parallel", "params", "env", "schedule", "handler_on",
        "retry_policy", "repeat_policy", "continue_on", "preconditions", "with", "labels", "tags", "id", "output",
        "limit", "items", "start", "stop", "at", "expression", "exit", "init", "http", "graph", "chain", "dag",
        "GET http://h/x", "echo hi", "0 0 * * *", "@daily", "true", "~", "1", "-1", "${X}", "a", "b",
        ": ", "- ", "\n", "\n  ", "\n    ", "[", "]", "{", "}", ", ", "&x ", "*x", "!!str ", "|\n", ">\n", "'", "\"", "#", "---\n",
    ]

    @Test("random YAML-like token soup always gets a verdict")
    func tokenSoup() {
        var rng = SeededGenerator(seed: 0x50_0F)
        var failures: [String] = []
        var valid = 0
        for index in 0..<400 {
            var text = Bool.random(using: &rng) ? "steps:\n  - " : ""
            for _ in 0..<Int.random(in: 1...60, using: &rng) {
                text += Self.tokens[Int.random(in: 0..<Self.tokens.count, using: &rng)]
            }
            let bytes = Array(text.utf8)
            if let problem = Self.verdictProblem(bytes, label: "soup \(index)") { failures.append(problem) }
            if DAGLoader.load(bytes: bytes, fileName: "fuzz.yaml").isValid { valid += 1 }
        }
        #expect(failures.isEmpty, "\(failures.count) inputs: \(failures.prefix(3))")
        #expect(valid < 400)
    }

    @Test("the generator is seeded: the same seed gives the same sequence")
    func generatorIsDeterministic() {
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42)
        let a = (0..<5).map { _ in first.next() }, b = (0..<5).map { _ in second.next() }
        #expect(a == b)
        // Reference values of SplitMix64 for seed 0.
        var zero = SeededGenerator(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        #expect(zero.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}
