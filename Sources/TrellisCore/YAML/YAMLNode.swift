/// A YAML value with the line it starts on: the loader's view of a document.
///
/// Built from the Yams node tree by ``YAMLDocumentParser``, with aliases expanded (under a
/// budget), merge keys (`<<`) applied and every mapping key reduced to its text.
struct YAMLNode: Sendable, Hashable {
    enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    var content: Content
    /// 1-based line where the value starts.
    var line: Int

    init(_ content: Content, line: Int) {
        self.content = content
        self.line = line
    }
}

/// A scalar's text and whether it was written plain (unquoted, untagged).
struct YAMLScalar: Sendable, Hashable {
    var text: String
    var isPlain: Bool
}

/// One `key: value` entry of a mapping.
struct YAMLPair: Sendable, Hashable {
    var key: String
    var keyLine: Int
    var value: YAMLNode
}

extension YAMLNode {
    var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// A plain `~`, `null` or empty scalar.
    var isNull: Bool {
        guard let scalar, scalar.isPlain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.text)
    }

    /// The scalar's text, whatever its style (`1` → `"1"`, `true` → `"true"`).
    var text: String? { scalar?.text }

    /// A YAML boolean: `true`/`false` in any case, and the older `yes/no/on/off` that Go's YAML
    /// library still accepts for boolean fields.
    var bool: Bool? {
        guard let scalar, scalar.isPlain else { return nil }
        switch scalar.text.lowercased() {
        case "true", "yes", "on", "y": return true
        case "false", "no", "off", "n": return false
        default: return nil
        }
    }

    /// A plain decimal integer (`42`, `-3`, `+7`).
    var int: Int? {
        guard let scalar, scalar.isPlain else { return nil }
        return Int(scalar.text.hasPrefix("+") ? String(scalar.text.dropFirst()) : scalar.text)
    }

    /// A plain number (integer or decimal).
    var double: Double? {
        guard let scalar, scalar.isPlain else { return nil }
        guard let value = Double(scalar.text), value.isFinite else { return nil }
        return value
    }

    /// What the value is, for messages: "a string", "a list", "a map".
    var kindName: String {
        switch content {
        case .scalar: return isNull ? "null" : "a scalar"
        case .mapping: return "a map"
        case .sequence: return "a list"
        }
    }

    /// The value of `key` in a mapping.
    subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key == key }?.value
    }
}
