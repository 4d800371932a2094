import Foundation
import Glibc
import Testing
@testable import TrellisEngine

@Suite("Process launcher: files, environment, descriptors (§6.3)")
struct ProcessIOTests {
    typealias Support = ProcessTestSupport

    @Test("stdout and stderr land in their files")
    func separateFiles() async throws {
        try await Support.withTemporaryDirectory { directory in
            let result = try await Support.run("echo out; echo err >&2", in: directory)
            #expect(result.termination == .exited(0))
            #expect(result.stdout == "out\n")
            #expect(result.stderr == "err\n")
        }
    }

    @Test("the same file for both streams keeps the order of writes")
    func sharedFile() async throws {
        try await Support.withTemporaryDirectory { directory in
            var spec = Support.shell("echo 1; echo 2 >&2; echo 3", in: directory)
            spec.stderrPath = spec.stdoutPath
            let shared = try await Support.run(spec).stdout
            #expect(shared == "1\n2\n3\n")
            // Two spellings of one file share one open file too, so truncation does not garble it.
            spec.stderrPath = directory + "/./out.log"
            let respelled = try await Support.run(spec).stdout
            #expect(respelled == "1\n2\n3\n")
        }
    }

    @Test("appendOutput appends, otherwise the file is truncated")
    func appendOrTruncate() async throws {
        try await Support.withTemporaryDirectory { directory in
            var spec = Support.shell("echo new", in: directory)
            try "old\n".write(toFile: spec.stdoutPath, atomically: false, encoding: .utf8)
            spec.appendOutput = true
            let appended = try await Support.run(spec).stdout
            #expect(appended == "old\nnew\n")
            spec.appendOutput = false
            let truncated = try await Support.run(spec).stdout
            #expect(truncated == "new\n")
        }
    }

    @Test("10 MB of output does not block the child")
    func largeOutput() async throws {
        try await Support.withTemporaryDirectory { directory in
            let spec = ProcessSpec(
                executable: "head",
                arguments: ["-c", "10485760", "/dev/zero"],
                environment: Support.environment,
                stdoutPath: directory + "/out.log"
            )
            let child = try await ProcessLauncher.launch(spec)
            #expect(await child.termination == .exited(0))
            let size = try FileManager.default.attributesOfItem(atPath: spec.stdoutPath)[.size] as? Int
            #expect(size == 10_485_760)
        }
    }

    @Test("the environment is exactly the one given, in order")
    func exactEnvironment() async throws {
        try await Support.withTemporaryDirectory { directory in
            let environment = [("PATH", Support.searchPath), ("B", "two words"), ("A", "1"), ("EMPTY", "")]
            let spec = ProcessSpec(executable: "env", environment: environment, stdoutPath: directory + "/out.log")
            let result = try await Support.run(spec)
            #expect(result.stdout == "PATH=\(Support.searchPath)\nB=two words\nA=1\nEMPTY=\n")

            let bare = ProcessSpec(executable: "/usr/bin/env", stdoutPath: directory + "/bare.log")
            let bareOutput = try await Support.run(bare).stdout
            #expect(bareOutput == "")
        }
    }

    @Test("stdin is /dev/null: cat ends at once")
    func stdinIsDevNull() async throws {
        try await Support.withTemporaryDirectory { directory in
            let result = try await Support.run("cat; readlink /proc/$$/fd/0", in: directory)
            #expect(result.termination == .exited(0))
            #expect(result.stdout == "/dev/null\n")
        }
    }

    @Test("the child inherits no descriptor beyond 0, 1, 2, even one opened without O_CLOEXEC")
    func noLeakedDescriptors() async throws {
        try await Support.withTemporaryDirectory { directory in
            let leaky = open(directory + "/leaky", O_WRONLY | O_CREAT, 0o644)
            #expect(leaky >= 0)
            defer { close(leaky) }
            // ls lists /proc/self/fd through its own descriptor 3.
            let spec = ProcessSpec(executable: "ls", arguments: ["/proc/self/fd"], environment: Support.environment, stdoutPath: directory + "/out.log")
            let descriptors = try await Support.run(spec).stdout
            #expect(descriptors == "0\n1\n2\n3\n")
        }
    }

    @Test("signals are unblocked and at their defaults, even one the parent ignores")
    func defaultSignals() async throws {
        // Foundation and servers commonly ignore SIGPIPE; the step must not inherit that.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        // sleep leaves its mask and dispositions alone (a shell would not: dash blocks
        // everything while it waits for a child).
        let child = try await ProcessLauncher.launch(ProcessSpec(executable: "sleep", arguments: ["100"], environment: Support.environment))
        let status = Support.contents(of: "/proc/\(child.pid)/status").split(separator: "\n")
        child.signalGroup(SIGKILL)
        #expect(await child.termination == .signaled(SIGKILL))
        #expect(status.contains("SigBlk:\t0000000000000000"))
        #expect(status.contains("SigIgn:\t0000000000000000"))

        try await Support.withTemporaryDirectory { directory in
            let result = try await Support.run("kill -PIPE $$", in: directory)
            #expect(result.termination == .signaled(SIGPIPE))
        }
    }
}
