/// Resolves the API authentication mode from the merged settings (API §2).
///
/// An explicit mode wins; without one the mode is `basic` when a username and a password are
/// set, else `token` when tokens are set, else `none`. Refused: `basic` without both username
/// and password, `token` without tokens, and `none` (explicit or resolved) together with
/// credentials. An unknown mode is refused where it is read. Tokens shorter than
/// ``AuthConfig/recommendedTokenLength`` are warnings.
enum AuthModePlanner {
    struct Input {
        var mode: Sourced<AuthMode>?
        var username: Sourced<String>?
        var password: Sourced<String>?
        /// The file's tokens, then the environment's.
        var tokens: [Sourced<String>]
    }

    static func resolve(_ input: Input) -> (auth: AuthConfig, problems: [ConfigProblem]) {
        var problems: [ConfigProblem] = []
        func error(_ message: String) {
            problems.append(ConfigProblem(.error, key: "auth", origin: .combined, message: message))
        }
        func warning(_ message: String) {
            problems.append(ConfigProblem(.warning, key: "auth", origin: .combined, message: message))
        }
        let username = input.username.flatMap { $0.value.isEmpty ? nil : $0 }
        let password = input.password.flatMap { $0.value.isEmpty ? nil : $0 }
        let tokens = unique(input.tokens)
        let credentials = credentialList(username: username, password: password, tokens: tokens)
        let mode: AuthMode
        if let explicit = input.mode {
            mode = explicit.value
            let stated = "auth.mode is \"\(mode.rawValue)\" (\(explicit.origin.phrase))"
            switch mode {
            case .none:
                if !credentials.isEmpty {
                    error("\(stated) but credentials are configured: \(credentials); "
                        + "remove them, or set auth.mode to basic or token")
                }
            case .basic:
                var missing: [String] = []
                if username == nil { missing.append("auth.basic.username") }
                if password == nil { missing.append("auth.basic.password") }
                if !missing.isEmpty {
                    let verb = missing.count == 1 ? "is" : "are"
                    error("\(stated) but \(missing.joined(separator: " and ")) \(verb) not set; "
                        + "basic auth needs both a username and a password")
                }
            case .token:
                if tokens.isEmpty {
                    error("\(stated) but no token is configured; set auth.tokens or TRELLIS_AUTH_TOKEN")
                }
                if username != nil || password != nil {
                    warning("\(stated), so auth.basic.username and auth.basic.password are ignored")
                }
            }
        } else if username != nil, password != nil {
            mode = .basic
        } else if !tokens.isEmpty {
            mode = .token
            if let halfSet = halfSet(username: username, password: password) {
                warning("\(halfSet), so basic auth is off and only tokens are accepted")
            }
        } else if let halfSet = halfSet(username: username, password: password) {
            mode = .none
            error("\(halfSet); set both to turn on basic auth, or remove it (auth would otherwise be off)")
        } else {
            mode = .none
        }
        if mode != .none {
            problems += shortTokenWarnings(input.tokens)
        }
        let auth = AuthConfig(mode: mode, basicUsername: username?.value, basicPassword: password?.value, tokens: tokens.map(\.value))
        return (auth, problems)
    }

    /// Keeps the first of equal tokens.
    private static func unique(_ tokens: [Sourced<String>]) -> [Sourced<String>] {
        var seen: Set<String> = []
        return tokens.filter { seen.insert($0.value).inserted }
    }

    /// "auth.basic.username (in trellis.yaml:4), 2 tokens (from TRELLIS_AUTH_TOKEN)".
    private static func credentialList(username: Sourced<String>?, password: Sourced<String>?, tokens: [Sourced<String>]) -> String {
        var parts: [String] = []
        if let username { parts.append("auth.basic.username (\(username.origin.phrase))") }
        if let password { parts.append("auth.basic.password (\(password.origin.phrase))") }
        if let first = tokens.first {
            parts.append(tokens.count == 1 ? "1 token (\(first.origin.phrase))" : "\(tokens.count) tokens (first \(first.origin.phrase))")
        }
        return parts.joined(separator: ", ")
    }

    /// "auth.basic.username is set but auth.basic.password is not (in trellis.yaml:4)", when
    /// exactly one of them is set.
    private static func halfSet(username: Sourced<String>?, password: Sourced<String>?) -> String? {
        switch (username, password) {
        case (let set?, nil):
            "auth.basic.username is set but auth.basic.password is not (\(set.origin.phrase))"
        case (nil, let set?):
            "auth.basic.password is set but auth.basic.username is not (\(set.origin.phrase))"
        default:
            nil
        }
    }

    /// One warning per distinct short token, naming where it came from (the item number for a
    /// comma-separated variable) but never its value.
    private static func shortTokenWarnings(_ tokens: [Sourced<String>]) -> [ConfigProblem] {
        var itemNumber: [ConfigOrigin: Int] = [:]
        var seen: Set<String> = []
        var problems: [ConfigProblem] = []
        for token in tokens {
            itemNumber[token.origin, default: 0] += 1
            let length = token.value.count
            guard seen.insert(token.value).inserted, length < AuthConfig.recommendedTokenLength else { continue }
            var message = "a token has \(length) characters, fewer than the recommended \(AuthConfig.recommendedTokenLength); use a long random token"
            if case .environment = token.origin, let number = itemNumber[token.origin] {
                message = "item \(number): " + message
            }
            problems.append(ConfigProblem(.warning, key: "auth.tokens", origin: token.origin, message: message))
        }
        return problems
    }
}
