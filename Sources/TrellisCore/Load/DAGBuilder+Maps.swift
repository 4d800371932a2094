import Foundation

extension DAGBuilder {
    /// Labels in every form (§2): `"a, b"`, `"k=v k2=v2"`, a map, or a list of strings and
    /// one-key maps. Trimmed and lower-cased.
    func labels(_ node: YAMLNode, _ path: String) -> [Label] {
        var result: [Label] = []
        func add(_ key: String, _ value: String?, line: Int) {
            let key = key.trimmingCharacters(in: .whitespaces).lowercased()
            let value = value?.trimmingCharacters(in: .whitespaces).lowercased()
            guard !key.isEmpty else {
                log.error(path, "a label has an empty key", line: line)
                return
            }
            let label = Label(key: key, value: value)
            if !result.contains(label) { result.append(label) }
        }
        func addText(_ text: String, line: Int) {
            let useSpaces = text.contains("=") && !text.contains(",")
            let tokens = useSpaces ? text.split(whereSeparator: { $0 == " " || $0 == "\t" }) : text.split(separator: ",")
            for token in tokens {
                let token = token.trimmingCharacters(in: .whitespaces)
                if token.isEmpty { continue }
                if let equals = token.firstIndex(of: "=") {
                    add(String(token[..<equals]), String(token[token.index(after: equals)...]), line: line)
                } else {
                    add(token, nil, line: line)
                }
            }
        }
        if node.isNull { return [] }
        if let text = node.text {
            addText(text, line: node.line)
        } else if let pairs = node.pairs {
            for pair in pairs {
                guard pair.value.scalar != nil else {
                    log.error(FieldPath.key(path, pair.key), "a label value must be a string, found \(pair.value.kindName)", line: pair.keyLine)
                    continue
                }
                add(pair.key, pair.value.isNull ? nil : pair.value.text, line: pair.keyLine)
            }
        } else if let items = node.items {
            for (index, item) in items.enumerated() {
                if let text = item.text, !item.isNull {
                    addText(text, line: item.line)
                } else if let pairs = item.pairs, pairs.count == 1, pairs[0].value.scalar != nil {
                    add(pairs[0].key, pairs[0].value.isNull ? nil : pairs[0].value.text, line: item.line)
                } else {
                    log.error(FieldPath.index(path, index), "a label must be a string or a one-key map, found \(item.kindName)", line: item.line)
                }
            }
        }
        return result
    }

    /// `env`: a map, a list of one-key maps, or a list of `"K=v"` strings, in file order.
    func env(_ node: YAMLNode, _ path: String) -> [EnvEntry] {
        var result: [EnvEntry] = []
        func add(_ name: String, _ value: YAMLNode?, _ entryPath: String, line: Int) {
            let name = name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !name.contains("=") else {
                log.error(entryPath, "\"\(name)\" is not a valid variable name", line: line)
                return
            }
            var text = ""
            if let value, !value.isNull {
                if let scalar = value.text {
                    text = scalar
                } else {
                    log.error(FieldPath.key(entryPath, name), "must be a string, found \(value.kindName)", line: value.line)
                    return
                }
            }
            result.append(EnvEntry(name: name, value: text))
        }
        if node.isNull { return [] }
        if let pairs = node.pairs {
            for pair in pairs { add(pair.key, pair.value, path, line: pair.keyLine) }
        } else if let items = node.items {
            for (index, item) in items.enumerated() {
                let itemPath = FieldPath.index(path, index)
                if let text = item.text, !item.isNull {
                    guard let equals = text.firstIndex(of: "=") else {
                        log.error(itemPath, "\"\(text)\" must have the form NAME=value", line: item.line)
                        continue
                    }
                    let value = String(text[text.index(after: equals)...])
                    add(String(text[..<equals]), YAMLNode(.scalar(YAMLScalar(text: value, isPlain: false)), line: item.line), itemPath, line: item.line)
                } else if let pairs = item.pairs, pairs.count == 1 {
                    add(pairs[0].key, pairs[0].value, itemPath, line: item.line)
                } else {
                    log.error(itemPath, "must be a one-key map or a \"NAME=value\" string, found \(item.kindName)", line: item.line)
                }
            }
        } else {
            log.error(path, "must be a map or a list, found \(node.kindName)", line: node.line)
        }
        return result
    }

    /// A user map of scalars (HTTP headers, query): keys kept exactly.
    func stringMap(_ node: YAMLNode, _ path: String) -> [EnvEntry] {
        guard let pairs = node.pairs else {
            if !node.isNull { log.error(path, "must be a map, found \(node.kindName)", line: node.line) }
            return []
        }
        var result: [EnvEntry] = []
        for pair in pairs {
            if let text = pair.value.text {
                result.append(EnvEntry(name: pair.key, value: pair.value.isNull ? "" : text))
            } else {
                log.error(FieldPath.key(path, pair.key), "must be a string, found \(pair.value.kindName)", line: pair.value.line)
            }
        }
        return result
    }

    /// `shell`: `"bash -e"` (split on white space, quotes respected) or `[bash, -e]`.
    func shell(_ node: YAMLNode, _ path: String) -> [String]? {
        if let text = node.text, !node.isNull {
            let words = ShellWords.split(text)
            if words.isEmpty { log.error(path, "is empty", line: node.line) }
            return words.isEmpty ? nil : words
        }
        guard let list = read.stringList(node, path), !list.isEmpty else { return nil }
        return list
    }

    /// Any YAML value as JSON: plain scalars typed (int, number, bool, null), others strings.
    func jsonValue(_ node: YAMLNode) -> JSONValue {
        switch node.content {
        case .scalar(let scalar):
            if node.isNull { return .null }
            if scalar.isPlain {
                if let int = node.int { return .integer(int) }
                if let double = node.double, scalar.text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                    return .number(double)
                }
                if ["true", "false", "True", "False", "TRUE", "FALSE"].contains(scalar.text) { return .bool(node.bool ?? false) }
            }
            return .string(scalar.text)
        case .sequence(let items):
            return .array(items.map(jsonValue))
        case .mapping(let pairs):
            return .object(JSONObject(pairs.map { ($0.key, jsonValue($0.value)) }))
        }
    }
}
