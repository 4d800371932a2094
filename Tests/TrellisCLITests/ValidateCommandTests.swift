import Foundation
import Testing

/// Runs the real `trellis` binary: exit codes, stdout and stderr of `validate` and `version`.
@Suite("trellis validate (binary)")
struct ValidateCommandTests {
    @Test("a valid file exits 0 and says so on stdout")
    func validFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("hello.yaml", "steps:\n  - echo one\n  - echo two\n")
        let result = try BinaryRunner.run(["validate", "hello.yaml"], in: dir.url)
        #expect(result.status == 0)
        #expect(result.stdout.contains("hello.yaml: valid DAG \"hello\" (chain, 2 steps)"))
        #expect(result.stderr.isEmpty)
    }

    @Test("an invalid file exits 2 and names file, line, field and problem for every error")
    func invalidFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("broken.yaml", """
            name: broken
            steps:
              - name: a
                comand: echo hi
              - name: b
                command: echo
                retry_policy:
                  limit: -1
            schedule: "61 * * * *"
            """)
        let result = try BinaryRunner.run(["validate", "broken.yaml"], in: dir.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("broken.yaml:4: error: steps[0]: unknown key \"comand\"; did you mean \"command\"?"))
        #expect(result.stderr.contains("broken.yaml:8: error: steps[1].retry_policy.limit: must be at least 0, found -1"))
        #expect(result.stderr.contains("broken.yaml:9: error: schedule: minute 61 out of range 0-59"))
        #expect(result.stderr.contains("broken.yaml: invalid ("))
        #expect(result.stdout.isEmpty)
    }

    @Test("warnings are printed but the DAG stays valid; --quiet hides them")
    func warnings() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("w.yaml", "log_dir: /tmp/x\nsteps:\n  - echo hi\n")
        let loud = try BinaryRunner.run(["validate", "w.yaml"], in: dir.url)
        #expect(loud.status == 0)
        #expect(loud.stderr.contains("w.yaml:1: warning: \"log_dir\" is not supported yet and is ignored"))
        #expect(loud.stdout.contains("1 warning"))
        let quiet = try BinaryRunner.run(["validate", "-q", "w.yaml"], in: dir.url)
        #expect(quiet.status == 0)
        #expect(quiet.stderr.isEmpty)
        #expect(quiet.stdout.isEmpty)
    }

    @Test("a DAG is found by file name or by declared name in the DAGs directory")
    func lookupByName() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("dags/etl-file.yaml", "name: nightly-etl\nsteps:\n  - echo run\n")
        let byFile = try BinaryRunner.run(["validate", "etl-file"], in: dir.url)
        #expect(byFile.status == 0)
        #expect(byFile.stdout.contains("valid DAG \"nightly-etl\""))
        let byName = try BinaryRunner.run(["validate", "nightly-etl"], in: dir.url)
        #expect(byName.status == 0)
        let elsewhere = try BinaryRunner.run(["validate", "--dags", "dags", "nightly-etl"], in: dir.url, environment: ["TRELLIS_DAGS_DIR": "/nonexistent"])
        #expect(elsewhere.status == 0)
        let viaEnv = try BinaryRunner.run(["validate", "nightly-etl"], in: dir.url, environment: ["TRELLIS_DAGS_DIR": "/nonexistent"])
        #expect(viaEnv.status == 2)
        #expect(viaEnv.stderr.contains("no DAG \"nightly-etl\""))
    }

    @Test("binary garbage and YAML syntax errors exit 2 with a message")
    func garbage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try Data([0xff, 0xfe, 0x00, 0x41]).write(to: dir.url.appendingPathComponent("bin.yaml"))
        let binary = try BinaryRunner.run(["validate", "bin.yaml"], in: dir.url)
        #expect(binary.status == 2)
        #expect(binary.stderr.contains("bin.yaml:1: error: file is not valid UTF-8"))
        try dir.write("syntax.yaml", "steps:\n  - [unclosed\n")
        let syntax = try BinaryRunner.run(["validate", "syntax.yaml"], in: dir.url)
        #expect(syntax.status == 2)
        #expect(syntax.stderr.contains("syntax.yaml:3: error: invalid YAML"))
    }

    @Test("usage errors exit 2; version and --help work")
    func usage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = try BinaryRunner.run(["validate"], in: dir.url)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("Missing expected argument"))
        let unknown = try BinaryRunner.run(["frobnicate"], in: dir.url)
        #expect(unknown.status == 2)
        let version = try BinaryRunner.run(["version"], in: dir.url)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("trellis "))
        let help = try BinaryRunner.run(["validate", "--help"], in: dir.url)
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exits 0 when the DAG is valid"))
    }

    @Test("every bundled example DAG validates", arguments: BundledDAGs.files)
    func bundled(file: String) throws {
        let result = try BinaryRunner.run(["validate", file], in: BundledDAGs.repositoryRoot)
        #expect(result.status == 0, "\(file): \(result.stderr)")
        #expect(!result.stderr.contains("error:"))
    }
}

/// The example DAGs shipped in the repository's `dags/`.
enum BundledDAGs {
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var files: [String] {
        let dir = repositoryRoot.appendingPathComponent("dags")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "dags/" + $0 }
    }
}
