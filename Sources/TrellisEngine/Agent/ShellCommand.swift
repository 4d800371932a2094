import Foundation
import TrellisCore

/// Builds the argv that runs a step's command or script (§6.2). Pure.
enum ShellCommand {
    /// Shells that understand `-e` (exit on first error).
    static let shLike: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "ash", "mksh"]

    /// The shell to use: the step's, else the DAG's, else the default, else `$SHELL`, else `/bin/sh`.
    static func shell(step: [String]?, dag: [String]?, defaultShell: [String]?, hostShell: String?) -> (argv: [String], stepOwn: Bool) {
        if let step, !step.isEmpty { return (step, true) }
        if let dag, !dag.isEmpty { return (dag, false) }
        if let defaultShell, !defaultShell.isEmpty { return (defaultShell, false) }
        if let hostShell, !hostShell.isEmpty { return ([hostShell], false) }
        return (["/bin/sh"], false)
    }

    /// `-e` is added for sh-like shells unless the step sets its own shell or it is there.
    static func withErrexit(_ shell: [String], stepOwn: Bool) -> [String] {
        guard !stepOwn, let program = shell.first else { return shell }
        let base = (program as NSString).lastPathComponent
        guard shLike.contains(base), !shell.contains("-e") else { return shell }
        return shell + ["-e"]
    }

    /// `<shell> [args] -c <command>`.
    static func commandArgv(_ command: String, shell: [String]) -> [String] {
        shell + ["-c", command]
    }

    /// A script file: run directly when it has a `#!` line, else `<shell> [-e] <file>`, or with
    /// an explicit `command`, `<command words> <file>`.
    static func scriptArgv(file: String, script: String, command: String?, shell: [String]) -> [String] {
        if let command, !command.isEmpty { return ShellWords.split(command) + [file] }
        if script.hasPrefix("#!") { return [file] }
        return shell + [file]
    }
}
