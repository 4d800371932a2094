import Foundation
import Testing
import TrellisCore
import TrellisStore

/// §6.2 command, script and shell; §6.3 working directory and processes.
@Suite("Run engine: commands and processes (§6.2, §6.3)")
struct EngineCommandTests {
    @Test("a command list runs in order and stops at the first failure")
    func commandList() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("list", """
            steps:
              - name: several
                command: ["echo one", "echo two", "exit 6", "echo four"]
            """)
        let (status, run, _) = try home.start("list")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["several": "failed"])
        #expect(run.node(named: "several")?.exitCode == 6)
        #expect(home.stepLog(run, "several") == "one\ntwo\n")
    }

    @Test("a multi-line command runs as a script file in the work dir")
    func multiLineCommand() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("multi", """
            steps:
              - name: lines
                command: |
                  echo "first"
                  echo "script=$0"
            """)
        let (status, run, _) = try home.start("multi")
        #expect(status == 0)
        let lines = home.stepLog(run, "lines").split(separator: "\n").map(String.init)
        #expect(lines.first == "first")
        let script = try #require(lines.last?.replacingOccurrences(of: "script=", with: ""))
        #expect(script.hasPrefix(home.runDirectory(run) + "/work/"), "ran as a file: \(script)")
    }

    @Test("script with a #!/bin/sh line runs under that interpreter, without one under the shell")
    func scriptShebang() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("shebang", """
            shell: bash
            steps:
              - name: with
                depends: []
                script: |
                  #!/bin/sh
                  readlink -f /proc/$$/exe
              - name: without
                depends: []
                script: |
                  readlink -f /proc/$$/exe
                  echo "bash=${BASH_VERSION:+yes}"
            """)
        let (status, run, _) = try home.start("shebang")
        #expect(status == 0)
        let shPath = URL(fileURLWithPath: "/bin/sh").resolvingSymlinksInPath().path
        let bashPath = URL(fileURLWithPath: "/bin/bash").resolvingSymlinksInPath().path
        #expect(home.stepLog(run, "with") == shPath + "\n")
        #expect(home.stepLog(run, "without") == bashPath + "\nbash=yes\n")
    }

    @Test("script with command set runs as <command> <file> (an interpreter)")
    func scriptWithInterpreter() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("interp", """
            steps:
              - name: py
                command: python3
                script: |
                  import sys
                  print(6 * 7, sys.argv[0].startswith("/"))
              - name: sh
                command: "sh -c 'echo \\"args: $0\\"; . \\"$0\\"'"
                script: |
                  echo sourced
            """)
        let (status, run, output) = try home.start("interp")
        #expect(status == 0, "\(output.stderr)")
        #expect(home.stepLog(run, "py") == "42 True\n")
        let log = home.stepLog(run, "sh")
        #expect(log.hasPrefix("args: " + home.runDirectory(run) + "/work/"))
        #expect(log.hasSuffix("\nsourced\n"))
    }

    @Test("default shell adds -e: a failing middle line fails the step; shell: bash (own shell) does not")
    func errexit() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("errexit", """
            steps:
              - name: strict
                depends: []
                command: |
                  echo before
                  false
                  echo after
              - name: lenient
                depends: []
                shell: bash
                command: |
                  echo before
                  false
                  echo after
              - name: strict-script
                depends: []
                script: |
                  false
                  echo after
            """)
        try home.dag("dagshell", """
            shell: bash
            steps:
              - name: inherited
                command: |
                  false
                  echo after
            """)
        let (status, run, _) = try home.start("errexit")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["strict": "failed", "lenient": "succeeded", "strict-script": "failed"])
        #expect(run.node(named: "strict")?.exitCode == 1)
        #expect(home.stepLog(run, "strict") == "before\n")
        #expect(home.stepLog(run, "lenient") == "before\nafter\n")
        #expect(home.stepLog(run, "strict-script") == "")
        // A DAG-level shell is not the step's own: -e is still added.
        let (dagStatus, dagRun, _) = try home.start("dagshell")
        #expect(dagStatus == 1)
        #expect(dagRun.nodeStatuses == ["inherited": "failed"])
        #expect(home.stepLog(dagRun, "inherited") == "")
    }

    @Test("a step killed by signal N reports exit code 128+N")
    func signalExitCode() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("killed", """
            steps:
              - {name: nine, depends: [], command: "kill -KILL $$"}
              - {name: fifteen, depends: [], command: "kill -TERM $$"}
            """)
        let (status, run, _) = try home.start("killed")
        #expect(status == 1)
        #expect(run.nodeStatuses == ["nine": "failed", "fifteen": "failed"])
        #expect(run.node(named: "nine")?.exitCode == 137)
        #expect(run.node(named: "fifteen")?.exitCode == 143)
    }

    @Test("the default working directory is DAG_RUN_WORK_DIR, inside the run folder")
    func defaultWorkingDirectory() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("where", """
            steps:
              - {name: pwd, command: 'pwd -P; echo "$DAG_RUN_WORK_DIR"'}
            """)
        let (status, run, _) = try home.start("where")
        #expect(status == 0)
        let work = URL(fileURLWithPath: home.runDirectory(run) + "/work").resolvingSymlinksInPath().path
        let lines = home.stepLog(run, "pwd").split(separator: "\n").map(String.init)
        #expect(lines.first == work)
        #expect(lines.last.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } == work)
    }

    @Test("a relative DAG working_dir is resolved against the DAG file's directory")
    func dagWorkingDirectory() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dir.write("dags/base/marker", "here\n")
        try home.dag("based", """
            working_dir: base
            steps:
              - {name: look, command: "pwd -P; cat marker"}
            """)
        let (status, run, output) = try home.start("based")
        #expect(status == 0, "\(output.stderr)")
        let base = URL(fileURLWithPath: home.path("dags/base")).resolvingSymlinksInPath().path
        #expect(home.stepLog(run, "look") == base + "\nhere\n")
    }

    @Test("$VAR in the DAG working_dir is expanded (a param, and a variable of the DAG's env)")
    func workingDirectoryVariables() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        let target = home.path("elsewhere")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let resolved = URL(fileURLWithPath: target).resolvingSymlinksInPath().path
        try home.dag("fromparam", """
            params: BASE=\(target)
            working_dir: ${BASE}
            steps:
              - {name: look, command: "pwd -P"}
            """)
        let (paramStatus, byParam, paramOutput) = try home.start("fromparam")
        #expect(paramStatus == 0, "\(paramOutput.stderr)")
        #expect(home.stepLog(byParam, "look") == resolved + "\n")

        try home.dag("fromenv", """
            env:
              - BASE: \(target)
            working_dir: ${BASE}
            steps:
              - {name: look, command: "pwd -P"}
            """)
        let (envStatus, byEnv, _) = try home.start("fromenv")
        #expect(envStatus == 0)
        #expect(home.stepLog(byEnv, "look") == resolved + "\n")
        #expect(!FileManager.default.fileExists(atPath: home.path("dags/${BASE}")))
    }

    @Test("a step's relative working_dir is joined to the DAG's")
    func stepWorkingDirectory() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dir.write("dags/base/inner/marker", "inner\n")
        try home.dag("joined", """
            working_dir: base
            steps:
              - {name: look, working_dir: inner, command: "pwd -P; cat marker"}
            """)
        let (status, run, output) = try home.start("joined")
        #expect(status == 0, "\(output.stderr)")
        let inner = URL(fileURLWithPath: home.path("dags/base/inner")).resolvingSymlinksInPath().path
        #expect(home.stepLog(run, "look") == inner + "\ninner\n")
    }

    @Test("each step leads its own process group, and stdin is /dev/null")
    func processGroupAndStdin() throws {
        let home = try EngineHarness()
        defer { home.remove() }
        try home.dag("groups", """
            steps:
              - {name: a, depends: [], command: 'echo "$(ps -o pgid= -p $$ | tr -d " ") $$"; readlink /proc/$$/fd/0'}
              - {name: b, depends: [], command: 'echo "$(ps -o pgid= -p $$ | tr -d " ") $$"; cat; echo eof'}
            """)
        let (status, run, _) = try home.start("groups")
        #expect(status == 0)
        for step in ["a", "b"] {
            let first = home.stepLog(run, step).split(separator: "\n").first.map(String.init) ?? ""
            let parts = first.split(separator: " ")
            #expect(parts.count == 2 && parts[0] == parts[1], "\(step): pgid and pid: \(first)")
            #expect(parts.first.map(String.init) != String(getpgrp()))
        }
        #expect(home.stepLog(run, "a").hasSuffix("\n/dev/null\n"))
        #expect(home.stepLog(run, "b").hasSuffix("\neof\n"))
    }
}
