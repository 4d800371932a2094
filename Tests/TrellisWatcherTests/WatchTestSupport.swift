import Foundation
import Glibc
import Logging
@testable import TrellisWatcher

/// Real files in a unique temporary directory, and bounded waits on event streams.
enum WatchTestSupport {
    static let logger = Logger(label: "trellis.watcher.tests") { _ in SwiftLogNoOpLogHandler() }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `body` with a fresh directory that is removed afterwards.
    static func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await body(directory)
    }

    static func makeTemporaryDirectory() throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/trellis-watch-XXXXXX").utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return nil }
            return String(cString: made)
        }
        guard let directory else { throw Failure(description: "mkdtemp failed: errno \(errno)") }
        return directory
    }

    /// Creates or truncates `path`, writes `text` and closes it (one `IN_CLOSE_WRITE`).
    static func write(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(path): errno \(errno)") }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
            throw Failure(description: "cannot write \(path): errno \(errno)")
        }
    }

    /// Writes a dot-named temporary next to `path`, then renames it onto `path`.
    static func atomicWrite(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".tmp").path
        try write(text, to: temporary)
        try rename(temporary, path)
    }

    static func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw Failure(description: "cannot rename \(from) to \(to): errno \(errno)") }
    }

    static func remove(_ path: String) throws {
        guard unlink(path) == 0 else { throw Failure(description: "cannot remove \(path): errno \(errno)") }
    }

    /// Consumes `stream` until `isDone` holds for the events so far, the stream ends, or
    /// `timeout` passes; returns what arrived. The timeout bounds the wait; nothing sleeps to
    /// let time pass.
    static func collect(
        _ stream: AsyncStream<WatchEvent>,
        timeout: Duration = .seconds(5),
        until isDone: @escaping @Sendable ([WatchEvent]) -> Bool
    ) async -> [WatchEvent] {
        await withTaskGroup(of: [WatchEvent]?.self) { group in
            group.addTask {
                var seen: [WatchEvent] = []
                for await event in stream {
                    seen.append(event)
                    if isDone(seen) { break }
                }
                return seen
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            var result: [WatchEvent] = []
            while let next = await group.next() {
                guard let seen = next else {
                    group.cancelAll()
                    continue
                }
                result = seen
                group.cancelAll()
                break
            }
            return result
        }
    }

    /// The names of the `.changed` events.
    static func changedNames(_ events: [WatchEvent]) -> [String] {
        events.compactMap { if case .changed(let name) = $0 { name } else { nil } }
    }

    /// The names of the `.removed` events.
    static func removedNames(_ events: [WatchEvent]) -> [String] {
        events.compactMap { if case .removed(let name) = $0 { name } else { nil } }
    }

    /// Drops dotfiles and editor temporaries, like the catalog's filter.
    @Sendable
    static func yamlOnly(_ name: String) -> Bool {
        !name.hasPrefix(".") && !name.hasSuffix("~") && !name.hasSuffix(".swp") && name != "4913"
    }
}
