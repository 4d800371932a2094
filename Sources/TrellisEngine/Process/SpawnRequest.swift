import CTrellisSystem
import Glibc

/// A ``ProcessSpec`` checked for what `execve` cannot carry, ready to hand to `trellis_spawn`.
struct SpawnRequest: Sendable {
    let program: String
    let argv: [String]
    let envp: [String]
    let workingDirectory: String
    let stdoutPath: String
    let stderrPath: String
    let append: Bool
    let detached: Bool
    let outputOnFirstByte: Bool

    init(_ spec: ProcessSpec) throws(LaunchError) {
        func invalid() -> LaunchError {
            LaunchError(stage: .invalidSpec, errno: EINVAL, program: spec.executable)
        }
        let hasNul: (String) -> Bool = { $0.utf8.contains(0) }
        if spec.executable.isEmpty {
            throw LaunchError(stage: .resolve, errno: ENOENT, program: spec.executable)
        }
        if hasNul(spec.executable) || spec.arguments.contains(where: hasNul) { throw invalid() }
        for (name, value) in spec.environment {
            if name.isEmpty || name.utf8.contains(UInt8(ascii: "=")) || hasNul(name) || hasNul(value) {
                throw invalid()
            }
        }
        if hasNul(spec.workingDirectory) || hasNul(spec.stdoutPath) || hasNul(spec.stderrPath) {
            throw invalid()
        }
        program = spec.executable
        argv = [spec.executable] + spec.arguments
        envp = spec.environment.map { "\($0.0)=\($0.1)" }
        workingDirectory = spec.workingDirectory
        stdoutPath = spec.stdoutPath
        stderrPath = spec.stderrPath
        append = spec.appendOutput
        detached = spec.detached
        outputOnFirstByte = spec.createsOutputOnFirstByte && spec.appendOutput
            && spec.stdoutPath != "/dev/null" && spec.stderrPath != "/dev/null"
    }

    /// The program to exec: `program`, or where a bare name was last found in the same PATH
    /// and directory (checked to be still executable). A program that cannot be found is
    /// returned as given, for the spawn to report.
    ///
    /// Remembering skips a PATH walk per step (a `stat` per entry: ten on a typical PATH for
    /// the shell). It can only miss an executable of the same name that appears in an earlier
    /// PATH entry while the process runs, which for a run agent is one run's lifetime.
    func resolvedProgram(cache: ProgramPathCache) -> String {
        guard !program.utf8.contains(UInt8(ascii: "/")) else { return program }
        let searchPath = envp.first { $0.hasPrefix("PATH=") } ?? ""
        let key = program + "\u{0}" + searchPath + "\u{0}" + workingDirectory
        if let known = cache.path(for: key), access(known, X_OK) == 0 { return known }
        let found = withCStringArray(envp) { envpPointers -> String? in
            guard let resolved = trellis_resolve_in_path(program, envpPointers, workingDirectory) else { return nil }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        guard let found else { return program }
        cache.remember(found, for: key)
        return found
    }

    /// Forks and execs the child with its output going straight to the files (blocking until
    /// `execve` succeeded or failed). Call it on a thread that outlives the child.
    func spawn(program: String? = nil) -> Result<Int32, LaunchError> {
        let program = program ?? self.program
        var error: Int32 = 0
        var stage: Int32 = 0
        let pid = withCStringArray(argv) { argvPointers in
            withCStringArray(envp) { envpPointers in
                trellis_spawn(program, argvPointers, envpPointers, workingDirectory, stdoutPath, stderrPath,
                              flags, &error, &stage)
            }
        }
        if pid > 0 { return .success(pid) }
        return .failure(launchError(stage: stage, errno: error))
    }

    /// Forks and execs the child with stdout and stderr on pipes whose read ends (non-blocking,
    /// close-on-exec) are returned with the file each one feeds; one pipe when both paths are
    /// the same. Like ``spawn()``, call it on a thread that outlives the child.
    func spawnPiped(program: String) -> Result<(pid: Int32, outputs: [(fd: Int32, path: String)]), LaunchError> {
        let shared = stdoutPath == stderrPath
        var opened: [Int32] = []
        func closeAll() { opened.forEach { _ = close($0) } }
        func makePipe() -> (read: Int32, write: Int32)? {
            var ends: [Int32] = [-1, -1]
            guard trellis_output_pipe(&ends) == 0 else { return nil }
            opened += ends
            return (ends[0], ends[1])
        }
        guard let out = makePipe(), let err = shared ? out : makePipe() else {
            let error = errno
            closeAll()
            return .failure(LaunchError(stage: .pipe, errno: error, program: self.program))
        }
        var error: Int32 = 0
        var stage: Int32 = 0
        let pid = withCStringArray(argv) { argvPointers in
            withCStringArray(envp) { envpPointers in
                trellis_spawn_fds(program, argvPointers, envpPointers, workingDirectory, -1, out.write, err.write,
                                  flags, &error, &stage)
            }
        }
        close(out.write)
        if !shared { close(err.write) }
        guard pid > 0 else {
            close(out.read)
            if !shared { close(err.read) }
            return .failure(launchError(stage: stage, errno: error))
        }
        let outputs = shared ? [(out.read, stdoutPath)] : [(out.read, stdoutPath), (err.read, stderrPath)]
        return .success((pid, outputs))
    }

    private var flags: Int32 {
        Int32(append ? TRELLIS_SPAWN_APPEND : 0) | Int32(detached ? TRELLIS_SPAWN_DETACH : 0)
    }

    private func launchError(stage: Int32, errno: Int32) -> LaunchError {
        let mapped: (LaunchError.Stage, String?)
        switch Int(stage) {
        case Int(TRELLIS_STAGE_RESOLVE): mapped = (.resolve, nil)
        case Int(TRELLIS_STAGE_STDIN): mapped = (.openStdin, "/dev/null")
        case Int(TRELLIS_STAGE_STDOUT): mapped = (.openStdout, stdoutPath)
        case Int(TRELLIS_STAGE_STDERR): mapped = (.openStderr, stderrPath)
        case Int(TRELLIS_STAGE_PIPE): mapped = (.pipe, nil)
        case Int(TRELLIS_STAGE_FORK): mapped = (.fork, nil)
        case Int(TRELLIS_STAGE_SETPGID): mapped = (.setpgid, nil)
        case Int(TRELLIS_STAGE_PDEATHSIG): mapped = (.parentDeathSignal, nil)
        case Int(TRELLIS_STAGE_SIGNALS): mapped = (.signals, nil)
        case Int(TRELLIS_STAGE_DUP): mapped = (.redirect, nil)
        case Int(TRELLIS_STAGE_CHDIR): mapped = (.chdir, workingDirectory)
        default: mapped = (.exec, nil)
        }
        return LaunchError(stage: mapped.0, errno: errno, program: program, path: mapped.1)
    }
}

/// Calls `body` with a NULL-terminated array of C strings that lives for the call.
private func withCStringArray<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
    defer {
        for pointer in pointers { free(pointer) }
    }
    return body(pointers)
}
