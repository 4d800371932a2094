/// Builds the dotted field paths used in diagnostics (`steps[2].retry_policy.limit`).
enum FieldPath {
    static func key(_ base: String, _ key: String) -> String {
        base.isEmpty ? key : base + "." + key
    }

    static func index(_ base: String, _ index: Int) -> String {
        base + "[\(index)]"
    }
}
