import Foundation

extension DAGBuilder {
    /// `params` in every shape of §4.1, in file order.
    func params(_ node: YAMLNode, _ path: String) -> [ParamDefinition] {
        var defs: [ParamDefinition] = []
        if node.isNull { return [] }
        if let text = node.text {
            defs = paramsFromText(text, path, line: node.line)
        } else if let items = node.items {
            for (index, item) in items.enumerated() {
                defs += paramListItem(item, FieldPath.index(path, index))
            }
        } else if let pairs = node.pairs {
            if node["type"]?.text == "object", node["properties"]?.pairs != nil {
                defs = schemaParams(node, path)
            } else if node["schema"] != nil {
                log.error(FieldPath.key(path, "schema"), "external param schemas (schema:) are not supported yet", line: node.line)
            } else {
                for pair in pairs {
                    defs.append(plainParam(pair.key, value: scalarText(pair.value), FieldPath.key(path, pair.key), line: pair.keyLine))
                }
            }
        }
        checkParams(defs, path, line: node.line)
        return defs
    }

    /// A scalar as text (null → ""), anything else as JSON text.
    private func scalarText(_ node: YAMLNode) -> String {
        if node.isNull { return "" }
        if let text = node.text { return text }
        return jsonValue(node).serialized()
    }

    private func plainParam(_ name: String?, value: String, _ path: String, line: Int) -> ParamDefinition {
        if let name, !NameRules.isValidVariableName(name) {
            log.error(path, "param name \"\(name)\" is invalid: use letters, digits and \"_\", not starting with a digit", line: line)
        }
        var def = ParamDefinition(name: name)
        def.defaultValue = .string(value)
        return def
    }

    private func paramsFromText(_ text: String, _ path: String, line: Int) -> [ParamDefinition] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            do {
                let json = try JSONValue.parse(trimmed)
                return paramsFromJSON(json, path, line: line)
            } catch {
                log.error(path, "params look like JSON but do not parse: \(error.message)", line: line)
                return []
            }
        }
        do {
            return try ParamStringParser.parse(text).map { plainParam($0.name, value: $0.value, path, line: line) }
        } catch {
            log.error(path, error.message, line: line)
            return []
        }
    }

    private func paramsFromJSON(_ json: JSONValue, _ path: String, line: Int) -> [ParamDefinition] {
        func text(_ value: JSONValue) -> String {
            if case .string(let string) = value { return string }
            return value.serialized()
        }
        switch json {
        case .object(let object):
            return object.entries.map { plainParam($0.key, value: text($0.value), path, line: line) }
        case .array(let items):
            return items.flatMap { item -> [ParamDefinition] in
                if case .object(let object) = item, object.entries.count == 1 {
                    return [plainParam(object.entries[0].key, value: text(object.entries[0].value), path, line: line)]
                }
                return [plainParam(nil, value: text(item), path, line: line)]
            }
        default:
            return [plainParam(nil, value: text(json), path, line: line)]
        }
    }

    private func paramListItem(_ item: YAMLNode, _ path: String) -> [ParamDefinition] {
        if item.isNull {
            log.error(path, "is empty", line: item.line)
            return []
        }
        if let text = item.text {
            do {
                return try ParamStringParser.parse(text).map { plainParam($0.name, value: $0.value, path, line: item.line) }
            } catch {
                log.error(path, error.message, line: item.line)
                return []
            }
        }
        guard let pairs = item.pairs else {
            log.error(path, "must be a string or a map, found \(item.kindName)", line: item.line)
            return []
        }
        if item["name"] != nil {
            return typedDefinition(item, path).map { [$0] } ?? []
        }
        guard pairs.count == 1 else {
            log.error(path, "must be a one-key map (NAME: value) or a typed definition with name", line: item.line)
            return []
        }
        let pair = pairs[0]
        if pair.value.pairs != nil {
            log.error(path, "the nested form \"- \(pair.key): {type: …}\" is not supported; write \"- {name: \(pair.key), type: …}\"", line: item.line)
            return []
        }
        return [plainParam(pair.key, value: scalarText(pair.value), FieldPath.key(path, pair.key), line: pair.keyLine)]
    }

    /// A typed definition `{name, type, default, …}` (§4.2).
    private func typedDefinition(_ node: YAMLNode, _ path: String) -> ParamDefinition? {
        guard let fields = ObjectFields.read(node, kind: .paramDefinition, path: path, log: log) else { return nil }
        guard let name = fields["name"].flatMap({ read.string($0, fields.path("name")) }) else { return nil }
        if fields.order.count == 1 {
            log.error(path, "param \"\(name)\" must define at least one field besides name", line: node.line)
        }
        var def = ParamDefinition(name: name)
        def.isTyped = true
        if !NameRules.isValidVariableName(name) {
            log.error(fields.path("name"), "param name \"\(name)\" is invalid: use letters, digits and \"_\", not starting with a digit", line: fields.line("name"))
        }
        readConstraints(fields, into: &def)
        if let value = fields["required"].flatMap({ read.bool($0, fields.path("required")) }) { def.required = value }
        if let value = fields["eval"].flatMap({ read.string($0, fields.path("eval")) }) { def.eval = value }
        for problem in def.validateDefinition() { log.error(path, problem, line: node.line) }
        return def
    }

    /// Fields shared by typed definitions and schema properties.
    private func readConstraints(_ fields: ObjectFields, into def: inout ParamDefinition) {
        if let node = fields["type"], let text = read.string(node, fields.path("type")) {
            if let type = ParamType(rawValue: text) {
                def.type = type
            } else {
                log.error(fields.path("type"), "unsupported param type \"\(text)\"; use string, integer, number or boolean", line: node.line)
            }
        }
        if let node = fields["default"] {
            let value = jsonValue(node)
            if case .array = value {
                log.error(fields.path("default"), "must be a scalar, found a list", line: node.line)
            } else if case .object = value {
                log.error(fields.path("default"), "must be a scalar, found a map", line: node.line)
            } else if value != .null {
                def.defaultValue = value
            }
        }
        if let node = fields["description"] { def.description = read.string(node, fields.path("description")) }
        if let node = fields["enum"] {
            if let items = node.items {
                def.enumValues = items.map(jsonValue)
            } else {
                log.error(fields.path("enum"), "must be a list, found \(node.kindName)", line: node.line)
            }
        }
        if let node = fields["minimum"] { def.minimum = read.double(node, fields.path("minimum")) }
        if let node = fields["maximum"] { def.maximum = read.double(node, fields.path("maximum")) }
        if let node = fields["exclusive_minimum"] { def.exclusiveMinimum = read.double(node, fields.path("exclusive_minimum")) }
        if let node = fields["exclusive_maximum"] { def.exclusiveMaximum = read.double(node, fields.path("exclusive_maximum")) }
        if let node = fields["multiple_of"] { def.multipleOf = read.double(node, fields.path("multiple_of")) }
        if let node = fields["min_length"] { def.minLength = read.int(node, fields.path("min_length")) }
        if let node = fields["max_length"] { def.maxLength = read.int(node, fields.path("max_length")) }
        if let node = fields["pattern"] { def.pattern = read.string(node, fields.path("pattern")) }
    }

    /// An inline JSON Schema `{type: object, properties, required}` (§4.3).
    private func schemaParams(_ node: YAMLNode, _ path: String) -> [ParamDefinition] {
        guard let fields = ObjectFields.read(node, kind: .paramSchema, path: path, log: log),
              let properties = fields["properties"]?.pairs else { return [] }
        let required = fields["required"].flatMap { read.stringList($0, fields.path("required")) } ?? []
        var defs: [ParamDefinition] = []
        for pair in properties {
            let propertyPath = FieldPath.key(fields.path("properties"), pair.key)
            guard let property = ObjectFields.read(pair.value, kind: .schemaProperty, path: propertyPath, log: log) else { continue }
            var def = ParamDefinition(name: pair.key)
            def.isTyped = true
            if !NameRules.isValidVariableName(pair.key) {
                log.error(propertyPath, "param name \"\(pair.key)\" is invalid: use letters, digits and \"_\", not starting with a digit", line: pair.keyLine)
            }
            readConstraints(property, into: &def)
            if let value = property["required"].flatMap({ read.bool($0, property.path("required")) }) { def.required = value }
            def.required = def.required || required.contains(pair.key)
            for problem in def.validateDefinition() { log.error(propertyPath, problem, line: pair.keyLine) }
            defs.append(def)
        }
        for name in required where !properties.contains(where: { $0.key == name }) {
            log.error(fields.path("required"), "\"\(name)\" is required but is not one of the properties", line: fields.line("required"))
        }
        return defs
    }

    /// Duplicate names (each definition's own consistency is checked where it is read).
    private func checkParams(_ defs: [ParamDefinition], _ path: String, line: Int) {
        var seen = Set<String>()
        for def in defs {
            if let name = def.name, !seen.insert(name).inserted {
                log.error(path, "param \"\(name)\" is defined twice", line: line)
            }
        }
    }
}
