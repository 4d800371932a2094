/// The mount path rules of API §1.1: normalizing `base_path` and `api_base_path`, and the
/// `$VAR` expansion of `base_path`.
enum MountPath {
    /// `api_base_path` when unset or empty.
    static let defaultAPIBasePath = "/api/v1"

    /// `""` for no prefix (empty, or only slashes), else `/a/b`: a leading `/` added, trailing
    /// and doubled `/` dropped.
    static func normalizedBasePath(_ raw: String) -> String {
        let segments = raw.split(separator: "/", omittingEmptySubsequences: true)
        return segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }

    /// `/api/v1` for empty, `/` for only slashes (the API at the root of ``basePath``), else
    /// `/a/b`.
    static func normalizedAPIBasePath(_ raw: String) -> String {
        if raw.isEmpty { return defaultAPIBasePath }
        let segments = raw.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + segments.joined(separator: "/")
    }

    /// `"/" + join(trim(base_path, "/"), trim(api_base_path, "/"))`, normalizing both first.
    static func mount(basePath: String, apiBasePath: String) -> String {
        let base = normalizedBasePath(basePath)
        let api = normalizedAPIBasePath(apiBasePath)
        let parts = [base, api].map { $0.split(separator: "/").joined(separator: "/") }.filter { !$0.isEmpty }
        return "/" + parts.joined(separator: "/")
    }

    /// Replaces `$NAME` and `${NAME}` with their values in `environment` (unset → empty).
    /// A `$` not followed by a name, or an unclosed `${`, is kept as written.
    /// Returns the text and the names that were not set, in order of appearance.
    static func expand(_ text: String, environment: [String: String]) -> (text: String, unset: [String]) {
        guard text.contains("$") else { return (text, []) }
        var out = ""
        var unset: [String] = []
        let chars = Array(text)
        var index = 0
        func isNameStart(_ char: Character) -> Bool { char == "_" || (char.isASCII && char.isLetter) }
        func isNameChar(_ char: Character) -> Bool { isNameStart(char) || (char.isASCII && char.isNumber) }
        func substitute(_ name: String) {
            if let value = environment[name] {
                out += value
            } else if !unset.contains(name) {
                unset.append(name)
            }
        }
        while index < chars.count {
            let char = chars[index]
            guard char == "$", index + 1 < chars.count else {
                out.append(char)
                index += 1
                continue
            }
            let next = chars[index + 1]
            if next == "{", let close = chars[(index + 2)...].firstIndex(of: "}") {
                let name = String(chars[(index + 2)..<close])
                if let first = name.first, isNameStart(first), name.allSatisfy(isNameChar) {
                    substitute(name)
                    index = close + 1
                    continue
                }
            } else if isNameStart(next) {
                var end = index + 1
                while end < chars.count, isNameChar(chars[end]) { end += 1 }
                substitute(String(chars[(index + 1)..<end]))
                index = end
                continue
            }
            out.append(char)
            index += 1
        }
        return (out, unset)
    }
}

/// Resolving configured directories (§18: relative paths resolve against `home`).
enum ConfigPaths {
    /// `path` if absolute; `~` and `~/…` against `userHome` when it is known; otherwise joined
    /// onto `base`. The result is cleaned lexically (`.` segments and doubled `/` dropped;
    /// `..` kept, since symlinks make it unsafe to fold).
    static func resolve(_ path: String, against base: String, userHome: String? = nil) -> String {
        if let userHome, path == "~" || path.hasPrefix("~/") {
            return clean(userHome + "/" + path.dropFirst())
        }
        if path.hasPrefix("/") { return clean(path) }
        return clean(base + "/" + path)
    }

    /// Drops `.` segments, doubled and trailing `/`; `""` becomes `.`.
    static func clean(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        let segments = path.split(separator: "/").filter { $0 != "." }
        let joined = segments.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
