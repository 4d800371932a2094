import Foundation
import Testing
@testable import TrellisCore

/// Shared helpers of the loader suites: fixture lookup, loading, model normalization and a
/// seeded random generator. Namespaced so nothing clashes with other suites of the target.
enum LoaderTestSupport {
    /// The `Fixtures` folder the test target copies as a resource (`.copy("Fixtures")`).
    static var fixturesURL: URL? {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)
    }

    /// File names (`01-dag-name-and-group.yaml`) of one fixture sub-folder, sorted.
    static func fixtureNames(in folder: String, suffix: String = ".yaml") -> [String] {
        guard let folderURL = fixturesURL?.appendingPathComponent(folder, isDirectory: true),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folderURL.path) else { return [] }
        return names.filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// The text of one fixture file.
    static func fixtureText(_ folder: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let root = try #require(fixturesURL, "the test bundle has no Fixtures folder", sourceLocation: sourceLocation)
        let url = root.appendingPathComponent(folder, isDirectory: true).appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Every spec example as `(file name, text)`.
    static func specExamples() throws -> [(name: String, text: String)] {
        try fixtureNames(in: "spec-examples").map { ($0, try fixtureText("spec-examples", $0)) }
    }

    /// Loads text as a file called `fileName`.
    static func load(_ text: String, fileName: String = "test.yaml", known: Set<String>? = nil) -> DAGLoadResult {
        DAGLoader.load(text: text, fileName: fileName, options: DAGLoadOptions(knownDAGNames: known))
    }

    /// Loads a fixture; `known` is the catalog the loader is told about.
    static func loadFixture(_ folder: String, _ name: String, known: Set<String>? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> DAGLoadResult {
        load(try fixtureText(folder, name, sourceLocation: sourceLocation), fileName: name, known: known)
    }

    /// Loads a fixture that must be valid and returns its DAG.
    static func validDAG(_ folder: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> DAG {
        let result = try loadFixture(folder, name, sourceLocation: sourceLocation)
        #expect(result.errors.isEmpty, "\(name): \(result.errors.map(\.description))", sourceLocation: sourceLocation)
        return try #require(result.dag, "\(name) produced no DAG", sourceLocation: sourceLocation)
    }

    /// The DAG without what legitimately differs between two spellings of one DAG: the name and
    /// file name when they are the file stem, and the YAML line of every step and handler.
    static func normalized(_ dag: DAG) -> DAG {
        var copy = dag
        if copy.name == copy.fileName { copy.name = "" }
        copy.fileName = nil
        copy.steps = copy.steps.map(withoutLine)
        copy.handlerOn.initialize = copy.handlerOn.initialize.map(withoutLine)
        copy.handlerOn.success = copy.handlerOn.success.map(withoutLine)
        copy.handlerOn.failure = copy.handlerOn.failure.map(withoutLine)
        copy.handlerOn.abort = copy.handlerOn.abort.map(withoutLine)
        copy.handlerOn.exit = copy.handlerOn.exit.map(withoutLine)
        return copy
    }

    private static func withoutLine(_ step: Step) -> Step {
        var copy = step
        copy.line = nil
        return copy
    }

    /// The fields in which two DAGs differ (`[]` when they are equal), for short, readable
    /// failures: top-level fields by name, steps field by field.
    static func differences(_ lhs: DAG, _ rhs: DAG) -> [String] {
        var result: [String] = []
        for (l, r) in zip(Mirror(reflecting: lhs).children, Mirror(reflecting: rhs).children)
        where l.label != "steps" && "\(l.value)" != "\(r.value)" {
            result.append("\(l.label ?? "?"): \(l.value)  ≠  \(r.value)")
        }
        if lhs.steps.count != rhs.steps.count {
            result.append("steps: \(lhs.steps.map(\.name))  ≠  \(rhs.steps.map(\.name))")
        } else {
            for (a, b) in zip(lhs.steps, rhs.steps) where a != b {
                for (l, r) in zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children) where "\(l.value)" != "\(r.value)" {
                    result.append("step \(a.name).\(l.label ?? "?"): \(l.value)  ≠  \(r.value)")
                }
            }
        }
        if result.isEmpty && lhs != rhs { result.append("the DAGs differ in a way the field listing does not show") }
        return result
    }

    /// The step with a name, failing the test if it is missing.
    static func step(_ dag: DAG, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Step {
        try #require(dag.step(named: name), "no step \"\(name)\" in \(dag.steps.map(\.name))", sourceLocation: sourceLocation)
    }
}

