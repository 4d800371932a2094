/// The keys of one schema object after normalization, with the nodes they hold.
struct ObjectFields {
    /// Path of the object itself (`steps[2]`).
    let path: String
    /// Line of the object.
    let line: Int
    private(set) var entries: [String: YAMLPair] = [:]
    private(set) var order: [String] = []

    init(path: String, line: Int) {
        self.path = path
        self.line = line
    }

    mutating func set(_ key: String, _ pair: YAMLPair) {
        if entries[key] == nil { order.append(key) }
        entries[key] = pair
    }

    mutating func remove(_ key: String) {
        entries[key] = nil
        order.removeAll { $0 == key }
    }

    subscript(key: String) -> YAMLNode? { entries[key]?.value }

    func has(_ key: String) -> Bool { entries[key] != nil }

    /// Path of a field of this object.
    func path(_ key: String) -> String { FieldPath.key(path, key) }

    /// Line of a field's key, else of the object.
    func line(_ key: String) -> Int { entries[key]?.keyLine ?? line }
}

extension ObjectFields {
    /// Reads a mapping as an object of `kind`: normalizes keys (§1.3), rejects both spellings of
    /// one field, and reports unknown, unsupported and ignored keys. `nil` (with an error) when the
    /// node is not a map.
    static func read(_ node: YAMLNode, kind: ObjectKind, path: String, log: DiagnosticLog) -> ObjectFields? {
        guard let pairs = node.pairs else {
            log.error(path, "must be a map, found \(node.kindName)", line: node.line)
            return nil
        }
        var fields = ObjectFields(path: path, line: node.line)
        var spelledAs: [String: String] = [:]
        let known = kind.keySet
        let renames = kind.renameTable
        for pair in pairs {
            let snake = KeyStyle.snakeCase(pair.key)
            let canonical = renames[snake] ?? snake
            if let other = spelledAs[canonical] {
                log.error(path, "both \"\(other)\" and \"\(pair.key)\" are set; they are the same field \"\(canonical)\", keep one", line: pair.keyLine)
                continue
            }
            spelledAs[canonical] = pair.key
            if kind == .step || kind == .handler, canonical == "executor" {
                readExecutor(pair, into: &fields, spelledAs: &spelledAs, path: path, log: log)
            } else if kind == .handler, canonical == "depends" {
                log.error(path, "a handler cannot declare depends; handlers run after the steps", line: pair.keyLine)
            } else if known.contains(canonical) {
                fields.set(canonical, pair)
            } else if kind.ignoredLaterKeys.contains(canonical) {
                log.warning(path, "\"\(pair.key)\" is not supported yet and is ignored", line: pair.keyLine)
            } else if kind.unsupportedLaterKeys.contains(canonical) {
                log.error(path, "\"\(pair.key)\" is not supported yet", line: pair.keyLine)
            } else if kind.excludedKeys.contains(canonical) {
                log.error(path, "\"\(pair.key)\" is not supported by Trellis", line: pair.keyLine)
            } else {
                var message = "unknown key \"\(pair.key)\""
                if let hint = KeyStyle.suggestion(for: pair.key, among: kind.keys) {
                    message += "; did you mean \"\(hint)\"?"
                }
                log.error(path, message, line: pair.keyLine)
            }
        }
        return fields
    }

    /// `executor: <type>` → `type`; `executor: {type, config}` → `type` + `with`.
    private static func readExecutor(_ pair: YAMLPair, into fields: inout ObjectFields, spelledAs: inout [String: String],
                                     path: String, log: DiagnosticLog) {
        func claim(_ canonical: String, _ value: YAMLNode) {
            if let other = spelledAs[canonical], other != pair.key {
                log.error(path, "both \"\(other)\" and \"\(pair.key)\" are set; they are the same field \"\(canonical)\", keep one", line: pair.keyLine)
                return
            }
            spelledAs[canonical] = pair.key
            fields.set(canonical, YAMLPair(key: pair.key, keyLine: pair.keyLine, value: value))
        }
        if pair.value.scalar != nil {
            claim("type", pair.value)
            return
        }
        guard let inner = pair.value.pairs else {
            log.error(FieldPath.key(path, pair.key), "must be a step type name or a map {type, config}, found \(pair.value.kindName)", line: pair.keyLine)
            return
        }
        for entry in inner {
            switch KeyStyle.snakeCase(entry.key) {
            case "type": claim("type", entry.value)
            case "config", "with": claim("with", entry.value)
            default:
                log.error(FieldPath.key(path, pair.key), "unknown key \"\(entry.key)\"; an executor has \"type\" and \"config\"", line: entry.keyLine)
            }
        }
    }
}
