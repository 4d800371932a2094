import Foundation

/// Why a configured value is rejected: the sentence after the key.
struct ConfigValueError: Error, Sendable, Hashable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The checks every source shares (file, environment, flags), so a value is judged the same
/// wherever it came from.
enum ConfigValueRules {
    static let portRange = 1...65535

    static func port(_ value: Int) throws(ConfigValueError) -> Int {
        guard portRange.contains(value) else {
            throw ConfigValueError("must be between 1 and 65535, found \(value)")
        }
        return value
    }

    /// An integer written as text (environment variables).
    static func integer(_ text: String) throws(ConfigValueError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed.hasPrefix("+") ? String(trimmed.dropFirst()) : trimmed) else {
            throw ConfigValueError("must be an integer, found \"\(text)\"")
        }
        return value
    }

    /// `true/false`, `yes/no`, `on/off`, `1/0`, in any case (environment variables).
    static func boolean(_ text: String) throws(ConfigValueError) -> Bool {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "yes", "on", "y", "1": return true
        case "false", "no", "off", "n", "0": return false
        default: throw ConfigValueError("must be true or false, found \"\(text)\"")
        }
    }

    /// A directory or host name: anything but empty.
    static func nonEmpty(_ text: String) throws(ConfigValueError) -> String {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigValueError("must not be empty")
        }
        return text
    }

    /// A time zone identifier the system knows (`Europe/Berlin`, `UTC`); `""` = the system zone.
    static func timeZone(_ text: String) throws(ConfigValueError) -> String? {
        let identifier = text.trimmingCharacters(in: .whitespaces)
        if identifier.isEmpty { return nil }
        guard TimeZone(identifier: identifier) != nil else {
            throw ConfigValueError("unknown time zone \"\(identifier)\"; use an IANA name such as \"UTC\" or \"Europe/Berlin\"")
        }
        return identifier
    }

    static func authMode(_ text: String) throws(ConfigValueError) -> AuthMode {
        guard let mode = AuthMode(configValue: text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigValueError("unknown auth mode \"\(text)\"; use none, basic or token (alias bearer)")
        }
        return mode
    }

    static func metrics(_ text: String) throws(ConfigValueError) -> MetricsAccess {
        guard let value = MetricsAccess(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ConfigValueError("must be \"private\" or \"public\", found \"\(text)\"")
        }
        return value
    }

    static func logLevel(_ text: String) throws(ConfigValueError) -> LogLevel {
        guard let value = LogLevel(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            let names = LogLevel.allCases.map(\.rawValue)
            throw ConfigValueError("unknown log level \"\(text)\"; use \(names.dropLast().joined(separator: ", ")) or \(names.last ?? "")")
        }
        return value
    }

    /// A shell as argv words; at least one word.
    static func shell(_ words: [String]) throws(ConfigValueError) -> [String] {
        guard let first = words.first, !first.isEmpty else {
            throw ConfigValueError("must name a shell, such as \"/bin/bash\" or [\"bash\", \"-e\"]")
        }
        return words
    }

    /// An environment variable name for `env_passthrough`.
    static func variableName(_ name: String) throws(ConfigValueError) -> String {
        guard NameRules.isValidVariableName(name) else {
            throw ConfigValueError("\"\(name)\" is not a variable name: use letters, digits and \"_\", not starting with a digit")
        }
        return name
    }

    static func queueName(_ name: String) throws(ConfigValueError) -> String {
        guard NameRules.isValidDAGName(name) else {
            throw ConfigValueError(NameRules.dagNameProblem(name, what: "queue name"))
        }
        return name
    }

    /// The longest idle timeout: a day.
    static let idleTimeoutRange = 0...86_400

    static func idleTimeout(_ value: Int) throws(ConfigValueError) -> Int {
        guard idleTimeoutRange.contains(value) else {
            throw ConfigValueError("must be between 0 (no timeout) and 86400 seconds, found \(value)")
        }
        return value
    }

    static func positive(_ value: Int) throws(ConfigValueError) -> Int {
        guard value >= 1 else { throw ConfigValueError("must be at least 1, found \(value)") }
        return value
    }

    /// `TRELLIS_AUTH_TOKEN`-style lists: comma-separated, trimmed, empty items ignored.
    static func commaList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
