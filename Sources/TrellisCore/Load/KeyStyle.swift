/// Converts the older camelCase keys to the canonical snake_case form.
enum KeyStyle {
    /// `timeoutSec` → `timeout_sec`, `skipTLSVerify` → `skip_tls_verify`; snake_case is kept.
    ///
    /// An underscore goes before an upper-case letter that follows a lower-case letter or digit,
    /// and before the last capital of an acronym that is followed by a lower-case letter, so
    /// acronyms stay together.
    static func snakeCase(_ key: String) -> String {
        // Already snake_case (lower-case ASCII, digits, underscores): nothing to change.
        if key.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }) {
            return key
        }
        let chars = Array(key)
        var out = ""
        out.reserveCapacity(chars.count + 4)
        for (index, char) in chars.enumerated() {
            if char.isUppercase, index > 0 {
                let previous = chars[index - 1]
                let nextIsLower = index + 1 < chars.count && chars[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    if !out.hasSuffix("_") { out.append("_") }
                }
            }
            out.append(contentsOf: char.lowercased())
        }
        return out
    }

    /// Keys longer than this get no "did you mean" (no real key is this long).
    static let maxSuggestedLength = 64

    /// Levenshtein distance, for "did you mean" suggestions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The nearest candidate within distance 3 (fewer for short keys), if any.
    static func suggestion(for key: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        // Edit distance is quadratic in length: long words get no suggestion, and candidates
        // whose length differs by more than the allowed edits are skipped without computing it.
        guard key.count <= maxSuggestedLength else { return nil }
        let snake = snakeCase(key)
        // Short words are close to everything; allow fewer edits for them.
        let allowed = min(3, max(1, key.count / 2))
        for candidate in candidates where abs(candidate.count - key.count) <= allowed + 1 {
            let distance = min(editDistance(snake, candidate), editDistance(key.lowercased(), candidate))
            if distance <= allowed, distance < (best?.1 ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.0
    }
}
