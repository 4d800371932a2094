/// Reads the config file's YAML tree into a ``ConfigLayer``, logging every problem with its line.
struct ConfigFileReader {
    /// The keys of §18, in table order.
    static let topLevelKeys = [
        "home", "host", "port", "dags_dir", "data_dir", "docs_dir", "base_path", "api_base_path", "tz",
        "auth", "metrics", "idle_timeout_sec", "queues", "events", "default_shell", "env_passthrough", "log_level",
    ]
    static let authKeys = ["mode", "basic", "tokens"]
    static let basicKeys = ["username", "password"]
    static let queueKeys = ["name", "max_concurrency"]
    static let eventsKeys = ["enabled", "retention_days"]

    let fileName: String
    let log: DiagnosticLog
    var read: ValueReader { ValueReader(log: log) }

    func layer(from root: YAMLNode?) -> ConfigLayer {
        var layer = ConfigLayer()
        guard let root, !root.isNull else { return layer }
        guard let fields = fields(root, keys: Self.topLevelKeys, path: "") else { return layer }
        layer.home = text(fields, "home", ConfigValueRules.nonEmpty)
        layer.host = text(fields, "host", ConfigValueRules.nonEmpty)
        layer.port = integer(fields, "port", ConfigValueRules.port)
        layer.dagsDir = text(fields, "dags_dir", ConfigValueRules.nonEmpty)
        layer.dataDir = text(fields, "data_dir", ConfigValueRules.nonEmpty)
        layer.docsDir = text(fields, "docs_dir", ConfigValueRules.nonEmpty)
        layer.basePath = text(fields, "base_path") { $0 }
        layer.apiBasePath = text(fields, "api_base_path") { $0 }
        layer.tz = text(fields, "tz", ConfigValueRules.timeZone)
        layer.metrics = text(fields, "metrics", ConfigValueRules.metrics)
        layer.idleTimeoutSec = integer(fields, "idle_timeout_sec", ConfigValueRules.idleTimeout)
        layer.logLevel = text(fields, "log_level", ConfigValueRules.logLevel)
        if let node = fields["auth"] { readAuth(node, into: &layer) }
        if let node = fields["queues"] { layer.queues = queues(node).map { Sourced($0, origin(fields, "queues")) } }
        if let node = fields["events"] { readEvents(node, into: &layer) }
        if let node = fields["default_shell"] {
            layer.defaultShell = defaultShell(node).map { Sourced($0, origin(fields, "default_shell")) }
        }
        if let node = fields["env_passthrough"], let items = scalars(node, "env_passthrough") {
            let names = items.compactMap { item in check(item.node, item.path, item.text, ConfigValueRules.variableName) }
            layer.envPassthrough = Sourced(names, origin(fields, "env_passthrough"))
        }
        return layer
    }

    // MARK: - Objects

    private func readAuth(_ node: YAMLNode, into layer: inout ConfigLayer) {
        guard !node.isNull, let auth = fields(node, keys: Self.authKeys, path: "auth") else { return }
        layer.authMode = text(auth, "mode", ConfigValueRules.authMode)
        if let basicNode = auth["basic"], !basicNode.isNull,
           let basic = fields(basicNode, keys: Self.basicKeys, path: auth.path("basic")) {
            layer.basicUsername = credential(basic, "username")
            layer.basicPassword = credential(basic, "password")
        }
        if let tokens = auth["tokens"], let items = scalars(tokens, auth.path("tokens")) {
            layer.tokens = items.compactMap { item in
                let token = item.text.trimmingCharacters(in: .whitespaces)
                return token.isEmpty ? nil : Sourced(token, .file(path: fileName, line: item.node.line))
            }
        }
    }

    private func readEvents(_ node: YAMLNode, into layer: inout ConfigLayer) {
        guard !node.isNull, let events = fields(node, keys: Self.eventsKeys, path: "events") else { return }
        if let value = events["enabled"], let enabled = read.bool(value, events.path("enabled")) {
            layer.eventsEnabled = Sourced(enabled, origin(events, "enabled"))
        }
        layer.eventsRetentionDays = integer(events, "retention_days", ConfigValueRules.positive)
    }

    private func queues(_ node: YAMLNode) -> [QueueConfig]? {
        if node.isNull { return [] }
        guard let items = node.items else {
            log.error("queues", "must be a list of {name, max_concurrency}, found \(node.kindName)", line: node.line)
            return nil
        }
        var queues: [QueueConfig] = []
        var lines: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = FieldPath.index("queues", index)
            guard let queue = fields(item, keys: Self.queueKeys, path: path) else { continue }
            guard let nameNode = queue["name"], !nameNode.isNull else {
                log.error(path, "needs a \"name\"", line: queue.line("name"))
                continue
            }
            guard let name = text(queue, "name", ConfigValueRules.queueName)?.value else { continue }
            let limit = queue.has("max_concurrency") ? integer(queue, "max_concurrency", ConfigValueRules.positive)?.value : 1
            if let first = lines[name] {
                log.error(queue.path("name"), "queue \"\(name)\" is declared twice (lines \(first) and \(queue.line("name")))", line: queue.line("name"))
                continue
            }
            lines[name] = queue.line("name")
            if let limit { queues.append(QueueConfig(name: name, maxConcurrency: limit)) }
        }
        return queues
    }

    /// A string split into shell words, or a list of words; null = not set.
    private func defaultShell(_ node: YAMLNode) -> [String]? {
        let words: [String]
        if node.items != nil {
            guard let items = scalars(node, "default_shell") else { return nil }
            words = items.map(\.text)
        } else {
            guard let text = read.string(node, "default_shell") else { return nil }
            words = ShellWords.split(text)
        }
        return check(node, "default_shell", words, ConfigValueRules.shell)
    }

    // MARK: - Helpers

    /// The keys of a map, camelCase normalized to snake_case; unknown keys and both spellings of
    /// one key are errors. `nil` (with an error) when the node is not a map.
    private func fields(_ node: YAMLNode, keys: [String], path: String) -> ObjectFields? {
        guard let pairs = node.pairs else {
            log.error(path, "must be a map, found \(node.kindName)", line: node.line)
            return nil
        }
        var fields = ObjectFields(path: path, line: node.line)
        var spelledAs: [String: String] = [:]
        for pair in pairs {
            let canonical = KeyStyle.snakeCase(pair.key)
            if let other = spelledAs[canonical] {
                log.error(path, "both \"\(other)\" and \"\(pair.key)\" are set; they are the same key \"\(canonical)\", keep one", line: pair.keyLine)
                continue
            }
            spelledAs[canonical] = pair.key
            if keys.contains(canonical) {
                fields.set(canonical, pair)
            } else {
                var message = "unknown key \"\(pair.key)\""
                if let hint = KeyStyle.suggestion(for: pair.key, among: keys) {
                    message += "; did you mean \"\(hint)\"?"
                }
                log.error(path, message, line: pair.keyLine)
            }
        }
        return fields
    }

    private func origin(_ fields: ObjectFields, _ key: String) -> ConfigOrigin {
        .file(path: fileName, line: fields.line(key))
    }

    /// A scalar key checked by `rule`; `nil` when absent, null or rejected.
    private func text<Value>(_ fields: ObjectFields, _ key: String,
                             _ rule: (String) throws(ConfigValueError) -> Value) -> Sourced<Value>? {
        guard let node = fields[key], let text = read.string(node, fields.path(key)) else { return nil }
        return check(node, fields.path(key), text, rule).map { Sourced($0, origin(fields, key)) }
    }

    private func integer(_ fields: ObjectFields, _ key: String,
                         _ rule: (Int) throws(ConfigValueError) -> Int) -> Sourced<Int>? {
        guard let node = fields[key], let value = read.int(node, fields.path(key), minimum: Int.min) else { return nil }
        return check(node, fields.path(key), value, rule).map { Sourced($0, origin(fields, key)) }
    }

    /// A user name or password: a string; empty counts as not set.
    private func credential(_ fields: ObjectFields, _ key: String) -> Sourced<String>? {
        guard let value = text(fields, key, { $0 }), !value.value.isEmpty else { return nil }
        return value
    }

    private func check<Input, Value>(_ node: YAMLNode, _ path: String, _ input: Input,
                                     _ rule: (Input) throws(ConfigValueError) -> Value) -> Value? {
        do {
            return try rule(input)
        } catch {
            log.error(path, error.message, line: node.line)
            return nil
        }
    }

    /// A scalar or a list of scalars, each with its node and path; null is an empty list.
    private func scalars(_ node: YAMLNode, _ path: String) -> [(text: String, node: YAMLNode, path: String)]? {
        if node.isNull { return [] }
        if let text = node.text { return [(text, node, path)] }
        guard let items = node.items else {
            log.error(path, "must be a string or a list of strings, found \(node.kindName)", line: node.line)
            return nil
        }
        var result: [(text: String, node: YAMLNode, path: String)] = []
        for (index, item) in items.enumerated() {
            if let text = item.text, !item.isNull {
                result.append((text, item, FieldPath.index(path, index)))
            } else {
                log.error(FieldPath.index(path, index), "must be a string, found \(item.kindName)", line: item.line)
            }
        }
        return result
    }
}
