import CTrellisSystem
import Foundation
import Glibc
@testable import TrellisEngine

/// Real processes in a unique temporary directory; blocking waits run on their own threads.
enum ProcessTestSupport {
    static let searchPath = "/usr/local/bin:/usr/bin:/bin"
    static let environment = [("PATH", searchPath)]

    /// Runs `body` with a fresh directory that is removed afterwards.
    static func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
        var template = Array((FileManager.default.temporaryDirectory.path + "/trellis-process-XXXXXX").utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, let made = mkdtemp(base) else { return nil }
            return String(cString: made)
        }
        guard let directory else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await body(directory)
    }

    /// `sh -c script` in `directory`, output to `out.log` and `err.log` there.
    static func shell(_ script: String, in directory: String, environment: [(String, String)] = environment) -> ProcessSpec {
        ProcessSpec(
            executable: "sh",
            arguments: ["-c", script],
            environment: environment,
            workingDirectory: directory,
            stdoutPath: directory + "/out.log",
            stderrPath: directory + "/err.log"
        )
    }

    /// Launches, awaits the exit and returns it with both outputs.
    static func run(_ spec: ProcessSpec) async throws -> (termination: Termination, stdout: String, stderr: String) {
        let child = try await ProcessLauncher.launch(spec)
        let termination = await child.termination
        return (termination, contents(of: spec.stdoutPath), contents(of: spec.stderrPath))
    }

    static func run(_ script: String, in directory: String) async throws -> (termination: Termination, stdout: String, stderr: String) {
        try await run(shell(script, in: directory))
    }

    /// The launch error, or nil when the launch succeeded (the child is then awaited).
    static func launchError(_ spec: ProcessSpec) async -> LaunchError? {
        do {
            let child = try await ProcessLauncher.launch(spec)
            _ = await child.termination
            return nil
        } catch {
            return error
        }
    }

    static func contents(of path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Runs blocking work on a dedicated thread so that no task-pool thread is held.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    static func makeFIFO(_ path: String) throws {
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    /// Reads a FIFO until its writer closes it (the open blocks until the writer appears).
    static func readFIFO(_ path: String) async -> String {
        await onThread {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return "" }
            defer { close(fd) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                bytes += buffer[..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Waits (up to `timeout` ms) until `pid` has exited, through a pidfd: works for processes
    /// that are not our children. Returns false on timeout.
    static func waitForExit(pid: Int32, timeout: Int32 = 10_000) async -> Bool {
        let fd = trellis_pidfd_open(pid)
        if fd < 0 { return errno == ESRCH }
        return await onThread {
            defer { close(fd) }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while true {
                let ready = poll(&entry, 1, timeout)
                if ready < 0 && errno == EINTR { continue }
                return ready == 1
            }
        }
    }

    /// True when `pid` is our child and a zombie: nobody reaped it.
    static func isOurZombie(_ pid: Int32) -> Bool {
        guard let info = ProcessTable.stat(of: pid) else { return false }
        return info.state == "Z" && info.parent == getpid()
    }

    static func isAlive(_ pid: Int32) -> Bool {
        guard let info = ProcessTable.stat(of: pid) else { return false }
        return info.state != "Z" && info.state != "X"
    }
}
