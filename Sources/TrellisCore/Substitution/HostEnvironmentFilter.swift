/// Which host environment variables a step process inherits (§5.2).
public enum HostEnvironmentFilter {
    /// Names passed through as they are.
    public static let names: Set<String> = [
        "PATH", "HOME", "USER", "SHELL", "TMPDIR", "TERM", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
        "LD_LIBRARY_PATH",
    ]

    /// Name prefixes passed through.
    public static let prefixes = ["XDG_", "TRELLIS_", "DAG_", "DAGU_", "LC_"]

    /// The entries of `env` that pass — the fixed names, the prefixed names, and the names in
    /// `passthrough` (the config key `env_passthrough`, matched exactly) — sorted by name.
    public static func filter(_ env: [String: String], passthrough: [String]) -> [(String, String)] {
        let extra = Set(passthrough)
        return env
            .filter { name, _ in passes(name) || extra.contains(name) }
            .sorted { $0.key < $1.key }
            .map { ($0.key, $0.value) }
    }

    /// API credentials of the server (`TRELLIS_AUTH_*`): never handed to steps through the
    /// `TRELLIS_` prefix — a DAG author must not read the API's password or tokens. Only an
    /// explicit `env_passthrough` entry passes one.
    public static let secretPrefixes = ["TRELLIS_AUTH_"]

    /// Whether `name` is one of the server's secrets, which no run agent needs.
    public static func isSecret(_ name: String) -> Bool {
        secretPrefixes.contains { name.hasPrefix($0) }
    }

    /// Whether `name` passes without being listed in `env_passthrough`.
    public static func passes(_ name: String) -> Bool {
        guard !isSecret(name) else { return false }
        return names.contains(name) || prefixes.contains { name.hasPrefix($0) }
    }
}
