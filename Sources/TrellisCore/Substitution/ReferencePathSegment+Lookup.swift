/// Walking a JSON path into a JSON-valued variable.
extension ReferencePathSegment {
    /// The value at `path` inside `value`, or `nil` when a key is missing, an index is out of
    /// range, or a segment meets the wrong kind of value.
    static func lookup(_ path: [ReferencePathSegment], in value: JSONValue) -> JSONValue? {
        var current = value
        for segment in path {
            switch (segment, current) {
            case (.key(let key), .object(let object)):
                guard let member = object[key] else { return nil }
                current = member
            case (.index(let index), .array(let items)):
                let position = index < 0 ? items.count + index : index
                guard items.indices.contains(position) else { return nil }
                current = items[position]
            default:
                return nil
            }
        }
        return current
    }

    /// The text a JSON path reference renders as, like `jq -r`: strings without quotes, other
    /// scalars in JSON form (`null`, `true`, `3`), arrays and objects as compact JSON.
    static func text(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        default: value.plainText
        }
    }
}
