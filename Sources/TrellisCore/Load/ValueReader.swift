/// Reads typed values out of YAML nodes, reporting a clear error on the wrong shape.
struct ValueReader {
    let log: DiagnosticLog

    /// A scalar as text; `nil` for null. Maps and lists are errors.
    func string(_ node: YAMLNode, _ path: String) -> String? {
        if node.isNull { return nil }
        guard let text = node.text else {
            log.error(path, "must be a string, found \(node.kindName)", line: node.line)
            return nil
        }
        return text
    }

    /// A non-negative (or at least `minimum`) integer.
    func int(_ node: YAMLNode, _ path: String, minimum: Int = 0) -> Int? {
        if node.isNull { return nil }
        guard let value = node.int else {
            log.error(path, "must be an integer, found \(describe(node))", line: node.line)
            return nil
        }
        if value < minimum {
            log.error(path, "must be at least \(minimum), found \(value)", line: node.line)
            return nil
        }
        return value
    }

    /// A number (integer or decimal).
    func double(_ node: YAMLNode, _ path: String) -> Double? {
        if node.isNull { return nil }
        guard let value = node.double else {
            log.error(path, "must be a number, found \(describe(node))", line: node.line)
            return nil
        }
        return value
    }

    /// `true` or `false`.
    func bool(_ node: YAMLNode, _ path: String) -> Bool? {
        if node.isNull { return nil }
        guard let value = node.bool else {
            log.error(path, "must be true or false, found \(describe(node))", line: node.line)
            return nil
        }
        return value
    }

    /// A string or a list of scalars.
    func stringList(_ node: YAMLNode, _ path: String) -> [String]? {
        if node.isNull { return [] }
        if let text = node.text { return [text] }
        guard let items = node.items else {
            log.error(path, "must be a string or a list of strings, found \(node.kindName)", line: node.line)
            return nil
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            if let text = item.text, !item.isNull {
                result.append(text)
            } else {
                log.error(FieldPath.index(path, index), "must be a string, found \(item.kindName)", line: item.line)
            }
        }
        return result
    }

    /// An integer or a list of integers.
    func intList(_ node: YAMLNode, _ path: String) -> [Int]? {
        if node.isNull { return [] }
        if node.scalar != nil {
            return int(node, path, minimum: Int.min).map { [$0] }
        }
        guard let items = node.items else {
            log.error(path, "must be an integer or a list of integers, found \(node.kindName)", line: node.line)
            return nil
        }
        var result: [Int] = []
        for (index, item) in items.enumerated() {
            if let value = int(item, FieldPath.index(path, index), minimum: Int.min) { result.append(value) }
        }
        return result
    }

    /// Describes a scalar value for messages: `"abc"`, or the node kind.
    func describe(_ node: YAMLNode) -> String {
        if let text = node.text { return "\"\(text)\"" }
        return node.kindName
    }
}
