import Foundation
import Glibc

/// Runs a short shell command and returns its stdout: backtick substitution (§5.3) and
/// precondition commands (§8.4).
///
/// The command runs like a step (own process group, stdin `/dev/null`, exactly the given
/// environment) with stdout in a temporary file that is read back and removed; stderr is
/// discarded. When the shell exits, whatever is left of its process group is killed, and
/// cancelling the calling task kills the group.
public enum CommandRunner {
    /// Runs `command` as `shell + ["-c", command]` and returns how it ended and its stdout.
    ///
    /// - Parameters:
    ///   - command: The shell command line.
    ///   - shell: The shell and its arguments, such as `["/bin/sh"]` or `["bash", "-e"]`;
    ///     empty means `["/bin/sh"]`.
    ///   - environment: The complete environment of the command.
    ///   - workingDirectory: The directory the command runs in.
    ///   - maxBytes: At most this many bytes of stdout are returned; the rest is dropped.
    ///   - temporaryDirectory: Where the stdout file is created, such as the run's work dir;
    ///     nil means the system temporary directory.
    /// - Returns: The termination and stdout as UTF-8 (invalid bytes replaced), not trimmed.
    /// - Throws: ``LaunchError`` when the shell cannot start, ``CommandOutputError`` when the
    ///   output cannot be read, `CancellationError` when the task was cancelled.
    public static func output(
        of command: String,
        shell: [String],
        environment: [(String, String)],
        workingDirectory: String,
        maxBytes: Int,
        temporaryDirectory: String? = nil
    ) async throws -> (Termination, String) {
        try Task.checkCancellation()
        let shell = shell.isEmpty ? ["/bin/sh"] : shell
        let directory = temporaryDirectory ?? FileManager.default.temporaryDirectory.path
        let outputPath = directory + "/.trellis-command-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        let spec = ProcessSpec(
            executable: shell[0],
            arguments: Array(shell.dropFirst()) + ["-c", command],
            environment: environment,
            workingDirectory: workingDirectory,
            stdoutPath: outputPath,
            stderrPath: "/dev/null"
        )
        let child = try await ProcessLauncher.launch(spec)
        let termination = await withTaskCancellationHandler {
            await child.termination
        } onCancel: {
            child.signalGroup(SIGKILL)
        }
        if child.isGroupAlive() {
            child.signalGroup(SIGKILL)
        }
        try Task.checkCancellation()
        return (termination, try readPrefix(of: outputPath, maxBytes: maxBytes))
    }

    /// Reads at most `maxBytes` bytes from the start of the file at `path`.
    static func readPrefix(of path: String, maxBytes: Int) throws(CommandOutputError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CommandOutputError(path: path, errno: errno) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: max(0, maxBytes))
        var count = 0
        while count < bytes.count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if result > 0 {
                count += result
            } else if result == 0 {
                break
            } else if errno != EINTR {
                throw CommandOutputError(path: path, errno: errno)
            }
        }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }
}

/// The stdout file of a command could not be read back.
public struct CommandOutputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The output file.
    public let path: String
    /// The `errno` value of the failure.
    public let errno: Int32

    /// `cannot read command output /run/x/.trellis-command-….out: Permission denied`.
    public var description: String {
        let reason = strerror(self.errno).map { String(cString: $0) } ?? "error \(self.errno)"
        return "cannot read command output \(path): \(reason)"
    }
}
