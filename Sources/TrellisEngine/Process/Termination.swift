/// How a process ended.
public enum Termination: Sendable, Hashable, CustomStringConvertible {
    /// The process called `exit` with this code (0–255).
    case exited(Int32)
    /// The process was killed by this signal.
    case signaled(Int32)

    /// The step exit code of §6.2: the exit code, or `128 + n` for a process killed by signal n.
    public var exitCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    /// `exited with code 1` or `killed by signal 9`.
    public var description: String {
        switch self {
        case .exited(let code): "exited with code \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        }
    }

    /// Decodes a `waitpid` status (`WIFEXITED`, `WEXITSTATUS` and `WTERMSIG` are C macros that
    /// Swift does not import). Only exits and deaths by signal are expected here: the launcher
    /// never asks for stopped or continued children.
    init(waitStatus status: Int32) {
        if status & 0x7f == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(status & 0x7f)
        }
    }
}
