import Foundation
import Glibc
import Testing
@testable import TrellisEngine

@Suite("Process launcher: exit status and launch errors (§6.2)")
struct ProcessLauncherTests {
    typealias Support = ProcessTestSupport

    @Test("exit codes are reported as is", arguments: [Int32(0), 1, 42, 255])
    func exitCodes(_ code: Int32) async throws {
        try await Support.withTemporaryDirectory { directory in
            let result = try await Support.run("exit \(code)", in: directory)
            #expect(result.termination == .exited(code))
            #expect(result.termination.exitCode == code)
        }
    }

    @Test("a process killed by signal n reports 128 + n")
    func killedBySignal() async throws {
        try await Support.withTemporaryDirectory { directory in
            let result = try await Support.run("kill -KILL $$", in: directory)
            #expect(result.termination == .signaled(SIGKILL))
            #expect(result.termination.exitCode == 137)
        }
    }

    @Test("SIGTERM to a running process ends it with 143")
    func terminated() async throws {
        let child = try await ProcessLauncher.launch(ProcessSpec(executable: "sleep", arguments: ["100"], environment: Support.environment))
        #expect(child.currentTermination == nil)
        #expect(child.signalGroup(SIGTERM))
        #expect(await child.termination == .signaled(SIGTERM))
        #expect(await child.termination.exitCode == 143)
    }

    @Test("a program missing from PATH fails synchronously with ENOENT")
    func missingProgram() async throws {
        let error = await Support.launchError(ProcessSpec(executable: "trellis-no-such-program", environment: Support.environment))
        #expect(error?.stage == .resolve)
        #expect(error?.errno == ENOENT)
        #expect(error?.description == "cannot run 'trellis-no-such-program': 'trellis-no-such-program' not found in PATH: No such file or directory")
    }

    @Test("a missing path fails in exec with ENOENT")
    func missingPath() async throws {
        let error = await Support.launchError(ProcessSpec(executable: "/nonexistent/trellis-program"))
        #expect(error?.stage == .exec)
        #expect(error?.errno == ENOENT)
        #expect(error?.description == "cannot run '/nonexistent/trellis-program': exec failed: No such file or directory")
    }

    @Test("a file without execute permission fails with EACCES, by path and through PATH")
    func notExecutable() async throws {
        try await Support.withTemporaryDirectory { directory in
            let file = directory + "/tool"
            try "#!/bin/sh\n".write(toFile: file, atomically: false, encoding: .utf8)
            let byPath = await Support.launchError(ProcessSpec(executable: file))
            #expect(byPath?.stage == .exec)
            #expect(byPath?.errno == EACCES)
            let bySearch = await Support.launchError(ProcessSpec(executable: "tool", environment: [("PATH", directory)]))
            #expect(bySearch?.stage == .resolve)
            #expect(bySearch?.errno == EACCES)
        }
    }

    @Test("a missing working directory fails naming chdir and the directory")
    func badWorkingDirectory() async throws {
        var spec = ProcessSpec(executable: "true", environment: Support.environment)
        spec.workingDirectory = "/nonexistent/trellis-dir"
        let error = await Support.launchError(spec)
        #expect(error?.stage == .chdir)
        #expect(error?.errno == ENOENT)
        #expect(error?.path == "/nonexistent/trellis-dir")
        #expect(error?.description == "cannot run 'true': chdir to /nonexistent/trellis-dir failed: No such file or directory")
    }

    @Test("an output file in a missing directory fails naming the file")
    func badOutputFile() async throws {
        let spec = ProcessSpec(executable: "true", environment: Support.environment, stdoutPath: "/nonexistent/dir/out.log")
        let error = await Support.launchError(spec)
        #expect(error?.stage == .openStdout)
        #expect(error?.errno == ENOENT)
        #expect(error?.description.contains("cannot open stdout file /nonexistent/dir/out.log") == true)
    }

    @Test("what execve cannot carry is rejected before forking")
    func invalidSpecs() async throws {
        let specs = [
            ProcessSpec(executable: "echo", arguments: ["a\0b"], environment: Support.environment),
            ProcessSpec(executable: "true", environment: [("A=B", "1")]),
            ProcessSpec(executable: "true", environment: [("", "1")]),
            ProcessSpec(executable: "true", environment: [("A", "x\0y")]),
        ]
        for spec in specs {
            #expect(await Support.launchError(spec)?.stage == .invalidSpec)
        }
        #expect(await Support.launchError(ProcessSpec(executable: ""))?.errno == ENOENT)
    }

    @Test("relative PATH entries are taken relative to the working directory")
    func relativeSearchPath() async throws {
        try await Support.withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory + "/bin", withIntermediateDirectories: false)
            let tool = directory + "/bin/tool"
            try "#!/bin/sh\necho tool ran in \"$PWD\"\n".write(toFile: tool, atomically: false, encoding: .utf8)
            chmod(tool, 0o755)
            let spec = ProcessSpec(
                executable: "tool",
                environment: [("PATH", "bin:/usr/bin:/bin")],
                workingDirectory: directory,
                stdoutPath: directory + "/out.log"
            )
            let result = try await Support.run(spec)
            #expect(result.termination == .exited(0))
            #expect(result.stdout == "tool ran in \(directory)\n")

            // A relative path with a slash is taken relative to the working directory too.
            var byPath = spec
            byPath.executable = "./bin/tool"
            byPath.environment = []
            let second = try await Support.run(byPath)
            #expect(second.termination == .exited(0))
            #expect(second.stdout == "tool ran in \(directory)\n")
        }
    }

    @Test("a program found in PATH before is looked up again once it is gone, and a new name is found")
    func rememberedProgramPath() async throws {
        try await Support.withTemporaryDirectory { directory in
            for folder in ["first", "second"] {
                try FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: false)
                let tool = directory + "/\(folder)/trellis-cache-tool"
                try "#!/bin/sh\necho \(folder)\n".write(toFile: tool, atomically: false, encoding: .utf8)
                chmod(tool, 0o755)
            }
            let spec = ProcessSpec(executable: "trellis-cache-tool",
                                   environment: [("PATH", "\(directory)/first:\(directory)/second:/usr/bin:/bin")],
                                   stdoutPath: directory + "/out.log")
            #expect(try await Support.run(spec).stdout == "first\n")
            #expect(try await Support.run(spec).stdout == "first\n")
            unlink(directory + "/first/trellis-cache-tool")
            #expect(try await Support.run(spec).stdout == "second\n")
            unlink(directory + "/second/trellis-cache-tool")
            let error = await Support.launchError(spec)
            #expect(error?.stage == .resolve)
            #expect(error?.errno == ENOENT)
        }
    }
}
