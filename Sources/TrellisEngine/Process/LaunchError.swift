import Glibc

/// A step process that could not be started.
///
/// Reported synchronously by ``ProcessLauncher/launch(_:)``: the launcher knows whether `execve`
/// succeeded before it returns. The message names the program, the stage and the cause, for
/// example `cannot run 'deploy': chdir to /srv/app failed: No such file or directory`.
public struct LaunchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step of the launch that failed.
    public enum Stage: String, Sendable, Hashable {
        /// The specification cannot be passed to `execve` (a NUL byte, an empty name, `=` in a name).
        case invalidSpec = "invalid spec"
        /// The program name was not found in `PATH`.
        case resolve
        /// `/dev/null` could not be opened for stdin.
        case openStdin = "open stdin"
        /// The stdout file could not be opened.
        case openStdout = "open stdout"
        /// The stderr file could not be opened.
        case openStderr = "open stderr"
        /// The status pipe could not be created.
        case pipe
        /// `fork` failed.
        case fork
        /// The child could not create its process group.
        case setpgid
        /// The child could not set its parent-death signal.
        case parentDeathSignal = "pdeathsig"
        /// The child could not reset its signal mask.
        case signals
        /// The child could not move its standard descriptors into place.
        case redirect
        /// The child could not enter the working directory.
        case chdir
        /// `execve` failed.
        case exec
    }

    /// Where the launch failed.
    public let stage: Stage
    /// The `errno` value of the failure.
    public let errno: Int32
    /// The program as written in the specification.
    public let program: String
    /// The file or directory involved, when the stage has one (working directory, output file).
    public let path: String?

    /// Creates an error.
    public init(stage: Stage, errno: Int32, program: String, path: String? = nil) {
        self.stage = stage
        self.errno = errno
        self.program = program
        self.path = path
    }

    /// The text of `errno`, such as `No such file or directory`.
    public var reason: String {
        guard let text = strerror(self.errno) else { return "error \(self.errno)" }
        return String(cString: text)
    }

    /// A sentence naming the program, what failed and why.
    public var message: String {
        let what: String
        switch stage {
        case .invalidSpec: what = "invalid process specification"
        case .resolve: what = self.errno == EACCES ? "no executable '\(program)' in PATH" : "'\(program)' not found in PATH"
        case .openStdin: what = "cannot open /dev/null for stdin"
        case .openStdout: what = "cannot open stdout file \(path ?? "")"
        case .openStderr: what = "cannot open stderr file \(path ?? "")"
        case .pipe: what = "cannot create the status pipe"
        case .fork: what = "fork failed"
        case .setpgid: what = "setpgid failed"
        case .parentDeathSignal: what = "prctl(PR_SET_PDEATHSIG) failed"
        case .signals: what = "cannot reset the signal mask"
        case .redirect: what = "dup2 failed"
        case .chdir: what = "chdir to \(path ?? "") failed"
        case .exec: what = "exec failed"
        }
        return "cannot run '\(program)': \(what): \(reason)"
    }

    /// The message.
    public var description: String { message }
}
