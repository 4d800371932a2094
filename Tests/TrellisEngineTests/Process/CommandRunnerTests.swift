import Foundation
import Glibc
import Testing
@testable import TrellisEngine

@Suite("Command runner: backticks and preconditions (§5.3, §8.4)")
struct CommandRunnerTests {
    typealias Support = ProcessTestSupport

    @Test("returns stdout and the termination; stderr is dropped; the temporary file is removed")
    func output() async throws {
        try await Support.withTemporaryDirectory { directory in
            let (termination, stdout) = try await CommandRunner.output(
                of: "echo \"$GREETING\"; pwd; echo noise >&2; exit 3", shell: ["/bin/sh"],
                environment: Support.environment + [("GREETING", "hello world")],
                workingDirectory: directory, maxBytes: 1024, temporaryDirectory: directory)
            #expect(termination == .exited(3))
            #expect(stdout == "hello world\n\(directory)\n")
            let left = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(left.isEmpty)
        }
    }

    @Test("stdout is capped at maxBytes")
    func capped() async throws {
        try await Support.withTemporaryDirectory { directory in
            let (termination, stdout) = try await CommandRunner.output(
                of: "head -c 100000 /dev/zero | tr '\\0' a", shell: ["sh", "-e"], environment: Support.environment,
                workingDirectory: directory, maxBytes: 10, temporaryDirectory: directory)
            #expect(termination == .exited(0))
            #expect(stdout == String(repeating: "a", count: 10))
        }
    }

    @Test("a shell that cannot start is a launch error")
    func missingShell() async throws {
        await #expect(throws: LaunchError.self) {
            _ = try await CommandRunner.output(
                of: "true", shell: ["/nonexistent/sh"], environment: [], workingDirectory: "/", maxBytes: 10)
        }
    }

    @Test("background processes left by the command are killed")
    func leftoversKilled() async throws {
        try await Support.withTemporaryDirectory { directory in
            let (_, stdout) = try await CommandRunner.output(
                of: "sleep 100 & echo $!", shell: ["sh"], environment: Support.environment,
                workingDirectory: directory, maxBytes: 64, temporaryDirectory: directory)
            let background = try #require(Int32(stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(await Support.waitForExit(pid: background))
        }
    }

    @Test("cancelling the task kills the command")
    func cancellation() async throws {
        try await Support.withTemporaryDirectory { directory in
            let task = Task {
                try await CommandRunner.output(
                    of: "sleep 100", shell: ["sh"], environment: Support.environment,
                    workingDirectory: directory, maxBytes: 64, temporaryDirectory: directory)
            }
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
        }
    }
}
