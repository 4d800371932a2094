/// How output variable names become keys of a run's `outputs.json` (§6.4).
public enum OutputKeys {
    /// SCREAMING_SNAKE → camelCase, as Dagu does: split on `_`, drop empty parts, lower-case
    /// every part, capitalise the first letter of every part but the first.
    ///
    /// `RESULT_URL` → `resultUrl`, `A` → `a`, `ALREADY_camel` → `alreadyCamel`, `_X__Y_` → `xY`,
    /// `VAR_2` → `var2`. A name without underscores is only lower-cased (`resultUrl` →
    /// `resulturl`), matching Dagu's key for the same variable. A name of underscores only maps to
    /// the empty string.
    public static func camelCase(_ name: String) -> String {
        var key = ""
        for part in name.split(separator: "_") {
            let lower = part.lowercased()
            if key.isEmpty {
                key = lower
            } else {
                key += lower.prefix(1).uppercased() + lower.dropFirst()
            }
        }
        return key
    }
}
