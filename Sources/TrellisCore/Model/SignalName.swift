import Foundation

/// Signal names accepted by `signal_on_stop`, with their Linux numbers.
public enum SignalName {
    static let numbers: [String: Int32] = [
        "SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6, "SIGBUS": 7,
        "SIGFPE": 8, "SIGKILL": 9, "SIGUSR1": 10, "SIGSEGV": 11, "SIGUSR2": 12, "SIGPIPE": 13,
        "SIGALRM": 14, "SIGTERM": 15, "SIGSTKFLT": 16, "SIGCHLD": 17, "SIGCONT": 18, "SIGSTOP": 19,
        "SIGTSTP": 20, "SIGTTIN": 21, "SIGTTOU": 22, "SIGURG": 23, "SIGXCPU": 24, "SIGXFSZ": 25,
        "SIGVTALRM": 26, "SIGPROF": 27, "SIGWINCH": 28, "SIGIO": 29, "SIGPWR": 30, "SIGSYS": 31,
    ]

    /// The canonical name (`SIGTERM`) for `term`, `TERM`, `SIGTERM`…; `nil` if unknown.
    public static func canonical(_ text: String) -> String? {
        let upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        let name = upper.hasPrefix("SIG") ? upper : "SIG" + upper
        return numbers[name] == nil ? nil : name
    }

    /// The Linux signal number of a canonical name.
    public static func number(_ name: String) -> Int32? {
        canonical(name).flatMap { numbers[$0] }
    }
}
