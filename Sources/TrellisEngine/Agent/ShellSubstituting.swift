import Foundation
import TrellisCore

/// Runs backtick substitutions and preconditions with the DAG shell (§5.3 step 2).
struct ShellSubstituting: CommandSubstituting {
    let shell: [String]
    /// The variables in scope; made into an environment only when a command runs (most texts
    /// have no backticks).
    let scope: SubstitutionScope
    let workingDirectory: String

    /// At most this much stdout is kept from a substitution.
    static let maxOutputBytes = 1 << 20

    func output(of command: String) async throws -> String {
        let (termination, stdout) = try await CommandRunner.output(
            of: command, shell: shell, environment: scope.resolvedBindings.map { ($0.name, $0.value) },
            workingDirectory: workingDirectory, maxBytes: Self.maxOutputBytes)
        guard termination.exitCode == 0 else {
            throw RunAgentError("exit status \(termination.exitCode)")
        }
        return stdout
    }
}
