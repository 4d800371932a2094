import Foundation
import Glibc
import Testing
@testable import TrellisEngine

@Suite("Process launcher: log files made on the first byte (§6.3)")
struct ProcessPipedOutputTests {
    typealias Support = ProcessTestSupport

    /// `sh -c script` whose output files are made when the first byte arrives.
    static func piped(_ script: String, in directory: String) -> ProcessSpec {
        var spec = Support.shell(script, in: directory)
        spec.appendOutput = true
        spec.createsOutputOnFirstByte = true
        return spec
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    @Test("a silent process leaves no file; a talking one leaves each stream in its file, complete at termination")
    func filesOnFirstByte() async throws {
        try await Support.withTemporaryDirectory { directory in
            let silent = try await Support.run(Self.piped("true", in: directory))
            #expect(silent.termination == .exited(0))
            #expect(!Self.exists(directory + "/out.log"))
            #expect(!Self.exists(directory + "/err.log"))

            let onlyErr = try await Support.run(Self.piped("echo oops >&2; exit 3", in: directory))
            #expect(onlyErr.termination == .exited(3))
            #expect(!Self.exists(directory + "/out.log"))
            #expect(onlyErr.stderr == "oops\n")

            // Read as soon as the termination is known: the pipes are drained before it is.
            let both = try await Support.run(Self.piped("echo one; echo two >&2; echo three", in: directory))
            #expect(both.stdout == "one\nthree\n")
            #expect(both.stderr == "oops\ntwo\n")
        }
    }

    @Test("output is appended to an existing file, and one path for both streams keeps the order of writes")
    func appendAndShared() async throws {
        try await Support.withTemporaryDirectory { directory in
            var spec = Self.piped("echo 1; echo 2 >&2; echo 3", in: directory)
            try "old\n".write(toFile: spec.stdoutPath, atomically: false, encoding: .utf8)
            spec.stderrPath = spec.stdoutPath
            let result = try await Support.run(spec)
            #expect(result.stdout == "old\n1\n2\n3\n")
        }
    }

    @Test("8 MiB through the pipe arrives whole, and the child is never blocked")
    func largeOutput() async throws {
        try await Support.withTemporaryDirectory { directory in
            let result = try await Support.run(Self.piped("head -c 8388608 /dev/zero | tr '\\0' x; echo end >&2", in: directory))
            #expect(result.termination == .exited(0))
            let size = try FileManager.default.attributesOfItem(atPath: directory + "/out.log")[.size] as? Int
            #expect(size == 8 << 20)
            #expect(result.stderr == "end\n")
        }
    }

    @Test("a background member holding the pipe does not hold back the leader's termination")
    func backgroundHoldsPipe() async throws {
        try await Support.withTemporaryDirectory { directory in
            let child = try await ProcessLauncher.launch(Self.piped("sleep 100 & echo started", in: directory))
            #expect(await child.termination == .exited(0))
            // The sleeper still has the pipe open, yet what the leader wrote is already in the file.
            #expect(child.isGroupAlive())
            #expect(Support.contents(of: directory + "/out.log") == "started\n")
            #expect(child.signalGroup(SIGKILL))
            for _ in 0..<500 where child.isGroupAlive() {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(!child.isGroupAlive())
        }
    }

    @Test("many concurrent piped children: every output in its own file, none for the silent ones")
    func concurrentPiped() async throws {
        try await Support.withTemporaryDirectory { directory in
            let results = try await withThrowingTaskGroup(of: (Int, Termination).self) { group in
                for index in 0..<100 {
                    group.addTask {
                        var spec = Self.piped(index % 2 == 0 ? "echo \(index)" : "true", in: directory)
                        spec.stdoutPath = directory + "/\(index).out"
                        spec.stderrPath = directory + "/\(index).err"
                        let child = try await ProcessLauncher.launch(spec)
                        return (index, await child.termination)
                    }
                }
                return try await group.reduce(into: [(Int, Termination)]()) { $0.append($1) }
            }
            #expect(results.count == 100)
            #expect(results.allSatisfy { $0.1 == .exited(0) })
            for index in 0..<100 {
                if index % 2 == 0 {
                    #expect(Support.contents(of: directory + "/\(index).out") == "\(index)\n")
                } else {
                    #expect(!Self.exists(directory + "/\(index).out"))
                }
                #expect(!Self.exists(directory + "/\(index).err"))
            }
        }
    }
}
