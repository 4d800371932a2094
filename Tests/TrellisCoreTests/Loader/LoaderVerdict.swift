import Foundation
import Testing
@testable import TrellisCore

/// What every load must produce, whatever the input: a verdict (a valid DAG, or at least one
/// error that says something), sane diagnostics, and the same answer twice.
enum LoaderVerdict {
    /// Loads bytes and checks the invariants; returns the result for further checks.
    @discardableResult
    static func check(bytes: [UInt8], fileName: String = "hostile.yaml", context: @autoclosure () -> String = "",
                      sourceLocation: SourceLocation = #_sourceLocation) -> DAGLoadResult {
        let result = DAGLoader.load(bytes: bytes, fileName: fileName)
        expectSane(result, fileName: fileName, lineCount: lineCount(bytes), context: context(), sourceLocation: sourceLocation)
        return result
    }

    /// Loads text and checks the invariants; returns the result for further checks.
    @discardableResult
    static func check(text: String, fileName: String = "hostile.yaml", context: @autoclosure () -> String = "",
                      sourceLocation: SourceLocation = #_sourceLocation) -> DAGLoadResult {
        let result = DAGLoader.load(text: text, fileName: fileName)
        expectSane(result, fileName: fileName, lineCount: lineCount(Array(text.utf8)), context: context(), sourceLocation: sourceLocation)
        return result
    }

    /// Lines as a reader counts them: `\n`, `\r\n` and a lone `\r` each end one.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var count = 1
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { count += 1 }
            if byte == UInt8(ascii: "\r") { count += 1 }
            previous = byte
        }
        return count
    }

    /// The invariants, as one list of problems (empty = sane), so a fuzz loop can report a
    /// failing input once instead of once per broken expectation.
    static func problems(_ result: DAGLoadResult, fileName: String, lineCount: Int) -> [String] {
        var problems: [String] = []
        if result.isValid {
            if result.dag == nil { problems.append("valid without a DAG") }
        } else if result.errors.isEmpty {
            problems.append("invalid without an error (dag: \(result.dag == nil ? "nil" : "present"))")
        }
        for diagnostic in result.diagnostics {
            if diagnostic.message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append("empty message: \(diagnostic)")
            }
            if diagnostic.file != fileName { problems.append("wrong file: \(diagnostic)") }
            if let line = diagnostic.line, !(1...lineCount + 1).contains(line) {
                problems.append("line \(line) outside 1...\(lineCount + 1): \(diagnostic)")
            }
        }
        let lines = result.diagnostics.map { $0.line ?? 0 }
        if lines != lines.sorted() { problems.append("diagnostics not in line order: \(lines)") }
        return problems
    }

    private static func expectSane(_ result: DAGLoadResult, fileName: String, lineCount: Int, context: String,
                                   sourceLocation: SourceLocation) {
        let found = problems(result, fileName: fileName, lineCount: lineCount)
        #expect(found.isEmpty, "\(context): \(found)", sourceLocation: sourceLocation)
    }
}

/// Measures how long a closure takes (the loader is synchronous; nothing waits or sleeps).
func loaderElapsed<T>(_ body: () -> T) -> (value: T, duration: Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = body()
    return (value, clock.now - start)
}
