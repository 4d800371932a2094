import Foundation
import Glibc
import Logging
import Synchronization
@testable import TrellisCatalog
import TrellisCore

/// A unique temporary `dags/` + `data/suspend/` pair, file helpers, a read-counting reader and a
/// log recorder.
final class CatalogFixture {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let root: String
    let dags: String
    let suspend: String
    let reads = ReadCounter()
    let log = LogRecorder()

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/trellis-catalog-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return nil }
            return String(cString: made)
        }
        guard let made else { throw Failure(description: "mkdtemp failed: errno \(errno)") }
        root = made
        dags = made + "/dags"
        suspend = made + "/data/suspend"
        try FileManager.default.createDirectory(atPath: dags, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A catalog over this fixture, reading through ``reads``.
    func catalog() -> FileDAGCatalog {
        let reads = reads
        return FileDAGCatalog(dagsDirectory: dags, suspendDirectory: suspend, logger: log.logger,
                              readFile: { path in try reads.read(path) })
    }

    /// Writes `dags/<name>` (create or truncate, then close).
    func write(_ name: String, _ text: String) throws {
        let path = dags + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(path): errno \(errno)") }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
            throw Failure(description: "cannot write \(path): errno \(errno)")
        }
    }

    /// Removes `dags/<name>`.
    func remove(_ name: String) throws {
        guard unlink(dags + "/" + name) == 0 else { throw Failure(description: "cannot remove \(name): errno \(errno)") }
    }

    /// A valid DAG, optionally with `name:` and extra top-level text.
    static func dag(name: String? = nil, command: String = "echo hi", extra: String = "") -> String {
        var text = name.map { "name: \($0)\n" } ?? ""
        text += extra
        text += "steps:\n  - name: hello\n    command: \(command)\n"
        return text
    }

    /// A DAG whose only step calls `target`.
    static func caller(of target: String) -> String {
        "steps:\n  - name: child\n    call: \(target)\n"
    }
}

/// Reads files for real and counts the reads per file name; can be told to fail for a name.
final class ReadCounter: Sendable {
    private struct State {
        var counts: [String: Int] = [:]
        var failing: Set<String> = []
    }

    private let state = Mutex(State())

    func read(_ path: String) throws -> [UInt8] {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let fails = state.withLock { state -> Bool in
            state.counts[name, default: 0] += 1
            return state.failing.contains(name)
        }
        if fails { throw CatalogError(.cannotReadFile, path: path, errorNumber: EACCES) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogError(.cannotReadFile, path: path, errorNumber: ENOENT)
        }
        return [UInt8](data)
    }

    /// Reads so far, per file name.
    var counts: [String: Int] { state.withLock { $0.counts } }
    /// Reads so far, all files.
    var total: Int { state.withLock { $0.counts.values.reduce(0, +) } }

    func reset() { state.withLock { $0.counts = [:] } }

    func setFailing(_ name: String, _ failing: Bool) {
        state.withLock { if failing { $0.failing.insert(name) } else { $0.failing.remove(name) } }
    }
}

/// Keeps every log message (with its `path` metadata) for assertions.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "trellis.catalog.tests") { _ in Handler(recorder: self) }
    }

    var messages: [String] { lines.withLock { $0 } }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.append("\(event.level): \(event.message) \(event.metadata?["path"].map { "\($0)" } ?? "")")
        }
    }
}
