/// Which parts of the §5.3 pipeline Trellis applies to a string, by the field it comes from.
///
/// The mode decides what Trellis substitutes itself and what it leaves, byte for byte, to the
/// shell that later runs the text.
public enum SubstitutionMode: Sendable, Hashable, CaseIterable {
    /// `env` values, preconditions with `expected`, `working_dir`, `stdout`/`stderr` paths,
    /// sub-DAG `params`, `parallel` items, HTTP fields, retry/repeat strings: the whole pipeline.
    ///
    /// References to any defined variable (host environment included), JSON paths, step
    /// references and slices; backtick command substitution; `${VAR:-default}`, `${#VAR}`;
    /// `\$` → `$` and `` \` `` → `` ` ``. Undefined variables are left untouched.
    case full
    /// A shell step's `command`: step references, JSON paths, and `$VAR` / `${VAR}` (with an
    /// optional slice) for variables known to Trellis — bound in any layer except the host
    /// environment. Everything else (host variables, undefined variables, backticks,
    /// `${VAR:-x}`, `${#VAR}`, `\$`) is left to the shell.
    case command
    /// A step's `script`: only step references, JSON paths and positional parameters `$1`,
    /// `${10}`…; everything else is left to the shell (the values are in the process environment).
    case script
}

/// What a mode resolves while rendering parsed tokens.
struct SubstitutionPolicy: Sendable {
    /// Which plain `$NAME` / `${NAME}` references are substituted.
    enum Names: Sendable {
        /// Any name bound in the scope.
        case anyDefined
        /// Names bound outside the host-environment layer.
        case knownToTrellis
        /// Positional parameters only (`1`, `2`, …), bound outside the host-environment layer.
        case positionalOnly
    }

    var names: Names
    /// Whether `${VAR:-default}` and `${#VAR}` are evaluated.
    var evaluatesPOSIXForms: Bool

    /// The body of a backtick command: references are resolved (stage 1 runs before stage 2),
    /// but POSIX forms and escapes stay for the shell that runs the command.
    static let commandBody = SubstitutionPolicy(names: .anyDefined, evaluatesPOSIXForms: false)
}

extension SubstitutionMode {
    /// Whether backticks are command substitutions and `\$` / `` \` `` lose their backslash.
    var parsesFullSyntax: Bool { self == .full }

    var policy: SubstitutionPolicy {
        switch self {
        case .full: SubstitutionPolicy(names: .anyDefined, evaluatesPOSIXForms: true)
        case .command: SubstitutionPolicy(names: .knownToTrellis, evaluatesPOSIXForms: false)
        case .script: SubstitutionPolicy(names: .positionalOnly, evaluatesPOSIXForms: false)
        }
    }
}
