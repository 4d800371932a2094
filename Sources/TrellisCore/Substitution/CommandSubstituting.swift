/// Runs the command of a backtick substitution (`` `cmd` ``) and returns its standard output.
///
/// This is the one impure operation of the substitution pipeline. The run engine implements it
/// with the DAG shell; tests use a fake. `Substitutor` trims leading and trailing whitespace and
/// newlines from the result, so implementations may return stdout as is. A thrown error becomes a
/// `SubstitutionError` naming the command.
public protocol CommandSubstituting: Sendable {
    /// The standard output of `command`, or an error when it cannot be run or exits non-zero.
    func output(of command: String) async throws -> String
}
