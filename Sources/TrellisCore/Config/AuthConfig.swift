/// How the REST API checks credentials (API §2).
public enum AuthMode: String, Sendable, Hashable, CaseIterable {
    /// No credentials are checked (the default, for local development).
    case none
    /// HTTP Basic for the one configured user; configured API tokens are also accepted.
    case basic
    /// `Authorization: Bearer <token>` matching a configured API token.
    case token

    /// Parses a configured mode: `none`, `basic`, `token` or its alias `bearer`, in any case.
    public init?(configValue text: String) {
        switch text.lowercased() {
        case "none": self = .none
        case "basic": self = .basic
        case "token", "bearer": self = .token
        default: return nil
        }
    }
}

/// API authentication settings, with the mode resolved by the rules of API §2.
///
/// Its description hides the password and the tokens, so printing a configuration never
/// leaks a credential.
public struct AuthConfig: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The resolved mode.
    public var mode: AuthMode
    /// The Basic user (`auth.basic.username`, `TRELLIS_AUTH_BASIC_USERNAME`).
    public var basicUsername: String?
    /// The Basic password (`auth.basic.password`, `TRELLIS_AUTH_BASIC_PASSWORD`).
    public var basicPassword: String?
    /// The API tokens: the file's `auth.tokens` followed by `TRELLIS_AUTH_TOKEN`'s, without
    /// duplicates or empty items.
    public var tokens: [String]

    /// Creates settings; the defaults are no authentication.
    public init(mode: AuthMode = .none, basicUsername: String? = nil, basicPassword: String? = nil, tokens: [String] = []) {
        self.mode = mode
        self.basicUsername = basicUsername
        self.basicPassword = basicPassword
        self.tokens = tokens
    }

    /// Tokens shorter than this are accepted with a warning.
    public static let recommendedTokenLength = 16

    /// The mode and which credentials are set, never their values.
    public var description: String {
        let user = basicUsername.map { "\"\($0)\"" } ?? "nil"
        let password = basicPassword == nil ? "nil" : "<redacted>"
        return "AuthConfig(mode: \(mode.rawValue), basicUsername: \(user), basicPassword: \(password), tokens: \(tokens.count))"
    }

    /// Same as ``description``.
    public var debugDescription: String { description }
}
