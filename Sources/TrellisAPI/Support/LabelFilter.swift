import Foundation
import TrellisCore

/// The `labels` query filter (API §4.1): comma-separated, all must match; `key`, `key=value`,
/// `!key` (absent), `*` wildcards in key and value.
struct LabelFilter: Sendable {
    struct Term: Sendable {
        var negated: Bool
        var key: String
        var value: String?
    }

    let terms: [Term]

    /// From `labels` and the deprecated `tags` (both set → 400).
    init(query: QueryParameters) throws(APIError) {
        let labels = query["labels"] ?? ""
        let tags = query["tags"] ?? ""
        if !labels.isEmpty && !tags.isEmpty {
            throw APIError.badRequest("labels and deprecated tags cannot both be set")
        }
        let text = labels.isEmpty ? tags : labels
        terms = text.split(separator: ",").compactMap { raw in
            var item = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !item.isEmpty else { return nil }
            let negated = item.hasPrefix("!")
            if negated { item.removeFirst() }
            if let equals = item.firstIndex(of: "=") {
                return Term(negated: negated, key: String(item[..<equals]), value: String(item[item.index(after: equals)...]))
            }
            return Term(negated: negated, key: item, value: nil)
        }
    }

    var isEmpty: Bool { terms.isEmpty }

    func matches(_ labels: [Label]) -> Bool {
        terms.allSatisfy { term in
            let found = labels.contains { label in
                Self.wildcard(term.key, label.key) && (term.value.map { value in Self.wildcard(value, label.value ?? "") } ?? true)
            }
            return term.negated ? !found : found
        }
    }

    /// Labels given as strings (`key` or `key=value`).
    func matches(strings: [String]) -> Bool {
        matches(strings.map { text in
            if let equals = text.firstIndex(of: "=") {
                return Label(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
            }
            return Label(key: text)
        })
    }

    /// `*` matches any run of characters.
    static func wildcard(_ pattern: String, _ text: String) -> Bool {
        guard pattern.contains("*") else { return pattern == text }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(text)
        for (index, part) in parts.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if index == parts.count - 1 {
                return part.isEmpty || rest.hasSuffix(part)
            } else if let range = rest.range(of: part) {
                rest = rest[range.upperBound...]
            } else {
                return false
            }
        }
        return true
    }
}
