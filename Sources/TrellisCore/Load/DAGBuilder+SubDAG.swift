import Foundation

extension DAGBuilder {
    /// Sub-DAG `params` (string, list or map) as one string, unevaluated.
    func subDAGParams(_ node: YAMLNode, _ path: String) -> String? {
        if node.isNull { return nil }
        if let text = node.text { return text }
        func quoted(_ node: YAMLNode) -> String {
            let text = node.isNull ? "" : (node.text ?? jsonValue(node).serialized())
            return JSONValue.string(text).serialized()
        }
        var tokens: [String] = []
        if let pairs = node.pairs {
            for pair in pairs { tokens.append("\(pair.key)=\(quoted(pair.value))") }
        } else if let items = node.items {
            for (index, item) in items.enumerated() {
                if let text = item.text, !item.isNull {
                    tokens.append(text)
                } else if let pairs = item.pairs, pairs.count == 1 {
                    tokens.append("\(pairs[0].key)=\(quoted(pairs[0].value))")
                } else {
                    log.error(FieldPath.index(path, index), "must be a string or a one-key map, found \(item.kindName)", line: item.line)
                }
            }
        }
        return tokens.joined(separator: " ")
    }

    /// `parallel:` (§7.2): a `${VAR}`, a static list, or `{items, max_concurrent}`.
    func parallelSpec(_ node: YAMLNode, _ path: String) -> ParallelSpec? {
        if node.pairs != nil {
            guard let fields = ObjectFields.read(node, kind: .parallel, path: path, log: log) else { return nil }
            guard let itemsNode = fields["items"] else {
                log.error(path, "items is required", line: node.line)
                return nil
            }
            guard let items = parallelItems(itemsNode, fields.path("items")) else { return nil }
            var spec = ParallelSpec(items: items)
            if let value = fields["max_concurrent"].flatMap({ read.int($0, fields.path("max_concurrent"), minimum: 1) }) {
                spec.maxConcurrent = value
            }
            return spec
        }
        return parallelItems(node, path).map { ParallelSpec(items: $0) }
    }

    private func parallelItems(_ node: YAMLNode, _ path: String) -> ParallelSpec.Items? {
        if let text = node.text, !node.isNull {
            if text.contains("$") { return .reference(text) }
            let parts = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" })
            return checkedItems(parts.map { .string(String($0)) }, path, line: node.line)
        }
        guard let items = node.items else {
            log.error(path, "must be a ${VARIABLE}, a list or {items, max_concurrent}, found \(node.kindName)", line: node.line)
            return nil
        }
        var values: [JSONValue] = []
        for (index, item) in items.enumerated() {
            if item.items != nil || item.isNull {
                log.error(FieldPath.index(path, index), "must be a string, a number or a map of params, found \(item.kindName)", line: item.line)
            } else {
                values.append(jsonValue(item))
            }
        }
        return checkedItems(values, path, line: node.line)
    }

    private func checkedItems(_ values: [JSONValue], _ path: String, line: Int) -> ParallelSpec.Items? {
        if values.count > 1000 {
            log.error(path, "has \(values.count) items; at most 1000 are allowed", line: line)
            return nil
        }
        if values.isEmpty { log.error(path, "has no items", line: line) }
        return .list(values)
    }
}
