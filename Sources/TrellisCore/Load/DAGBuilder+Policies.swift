extension DAGBuilder {
    /// `handler_on` (§9): each handler is one step body without `depends`.
    func handlers(_ node: YAMLNode, _ path: String) -> HandlerOn {
        var result = HandlerOn()
        guard let fields = ObjectFields.read(node, kind: .handlerOn, path: path, log: log) else { return result }
        func handler(_ key: String, _ name: String) -> Step? {
            guard let body = fields[key], !body.isNull else { return nil }
            guard var step = step(body, fields.path(key), kind: .handler, chainItem: 0)?.step else { return nil }
            step.name = name
            step.depends = []
            return step
        }
        result.initialize = handler("init", "onInit")
        result.success = handler("success", "onSuccess")
        result.failure = handler("failure", "onFailure")
        result.abort = handler("abort", "onAbort")
        result.exit = handler("exit", "onExit")
        return result
    }

    /// Preconditions (§8.4): a string, a map, or a list of those.
    func conditions(_ node: YAMLNode, _ path: String) -> [Condition] {
        if node.isNull { return [] }
        if let items = node.items {
            return items.enumerated().compactMap { condition($1, FieldPath.index(path, $0)) }
        }
        return condition(node, path).map { [$0] } ?? []
    }

    func condition(_ node: YAMLNode, _ path: String) -> Condition? {
        if let text = node.text, !node.isNull { return Condition(condition: text) }
        guard let fields = ObjectFields.read(node, kind: .condition, path: path, log: log) else { return nil }
        guard let text = fields["condition"].flatMap({ read.string($0, fields.path("condition")) }) else {
            log.error(path, "a precondition needs condition (or command)", line: node.line)
            return nil
        }
        var result = Condition(condition: text)
        if let expected = fields["expected"] { result.expected = read.string(expected, fields.path("expected")) }
        if let negate = fields["negate"], let value = read.bool(negate, fields.path("negate")) { result.negate = value }
        return result
    }

    /// `continue_on` (§8.1): `skipped`, `failed` or a map.
    func continueOn(_ node: YAMLNode, _ path: String) -> ContinueOn {
        var result = ContinueOn()
        if let text = node.text, !node.isNull {
            switch text {
            case "skipped": result.skipped = true
            case "failed", "failure": result.failed = true
            default: log.error(path, "must be \"skipped\", \"failed\" or a map, found \"\(text)\"", line: node.line)
            }
            return result
        }
        guard let fields = ObjectFields.read(node, kind: .continueOn, path: path, log: log) else { return result }
        if let value = fields["skipped"].flatMap({ read.bool($0, fields.path("skipped")) }) { result.skipped = value }
        if let value = fields["failed"].flatMap({ read.bool($0, fields.path("failed")) }) { result.failed = value }
        if let value = fields["mark_success"].flatMap({ read.bool($0, fields.path("mark_success")) }) { result.markSuccess = value }
        if let value = fields["exit_code"].flatMap({ read.intList($0, fields.path("exit_code")) }) { result.exitCodes = value }
        if let value = fields["output"].flatMap({ read.stringList($0, fields.path("output")) }) { result.output = value }
        return result
    }

    /// An int, or a string evaluated at run time.
    private func intOrExpression(_ node: YAMLNode, _ path: String) -> IntOrExpression? {
        if let value = node.int {
            if value < 0 { log.error(path, "must be at least 0, found \(value)", line: node.line) }
            return .value(value)
        }
        if let text = node.text, !node.isNull {
            if let value = Int(text) { return .value(value) }
            if text.contains("$") || text.contains("`") { return .expression(text) }
            log.error(path, "must be an integer or a ${VARIABLE} evaluated at run time, found \"\(text)\"", line: node.line)
            return nil
        }
        log.error(path, "must be an integer, found \(node.kindName)", line: node.line)
        return nil
    }

    /// `backoff: true` (= 2.0) or a number > 1; `false` = none.
    private func backoff(_ node: YAMLNode, _ path: String) -> Double? {
        if let flag = node.bool { return flag ? 2.0 : nil }
        guard let value = node.double, value > 1 else {
            log.error(path, "must be true or a number greater than 1, found \(read.describe(node))", line: node.line)
            return nil
        }
        return value
    }

    /// `retry_policy` (§8.2).
    func retryPolicy(_ node: YAMLNode, _ path: String) -> RetryPolicy? {
        guard let fields = ObjectFields.read(node, kind: .retryPolicy, path: path, log: log) else { return nil }
        guard let limitNode = fields["limit"] else {
            log.error(path, "limit is required", line: node.line)
            return nil
        }
        guard let limit = intOrExpression(limitNode, fields.path("limit")) else { return nil }
        var policy = RetryPolicy(limit: limit)
        if let interval = fields["interval_sec"].flatMap({ intOrExpression($0, fields.path("interval_sec")) }) { policy.intervalSec = interval }
        if let codes = fields["exit_code"].flatMap({ read.intList($0, fields.path("exit_code")) }) { policy.exitCodes = codes }
        if let value = fields["backoff"] { policy.backoff = backoff(value, fields.path("backoff")) }
        if let value = fields["max_interval_sec"].flatMap({ read.int($0, fields.path("max_interval_sec")) }) { policy.maxIntervalSec = value }
        return policy
    }

    /// `repeat_policy` (§8.3), with the mode inferred when `repeat` is absent or `true`.
    func repeatPolicy(_ node: YAMLNode, _ path: String) -> RepeatPolicy? {
        guard let fields = ObjectFields.read(node, kind: .repeatPolicy, path: path, log: log) else { return nil }
        let condition = fields["condition"].flatMap { read.string($0, fields.path("condition")) }
        let expected = fields["expected"].flatMap { read.string($0, fields.path("expected")) }
        let codes = fields["exit_code"].flatMap { read.intList($0, fields.path("exit_code")) } ?? []
        if expected != nil && condition == nil {
            log.error(fields.path("expected"), "expected needs a condition to compare", line: fields.line("expected"))
        }
        let inferred: RepeatPolicy.Mode = (condition != nil && expected != nil) ? .until : .while
        var mode = inferred
        if let repeatNode = fields["repeat"] {
            if let flag = repeatNode.bool {
                if !flag { return nil }
            } else if let text = repeatNode.text, let explicit = RepeatPolicy.Mode(rawValue: text) {
                mode = explicit
                if condition == nil && codes.isEmpty {
                    log.error(fields.path("repeat"), "repeat: \(text) needs a condition or exit_code", line: repeatNode.line)
                }
            } else {
                log.error(fields.path("repeat"), "must be true, false, \"while\" or \"until\", found \(read.describe(repeatNode))", line: repeatNode.line)
            }
        } else if condition == nil && codes.isEmpty {
            log.error(path, "set repeat (true, while or until), a condition or exit_code", line: node.line)
        }
        var policy = RepeatPolicy(mode: mode)
        policy.condition = condition.map { Condition(condition: $0, expected: expected) }
        policy.exitCodes = codes
        if let value = fields["interval_sec"].flatMap({ read.int($0, fields.path("interval_sec")) }) { policy.intervalSec = value }
        if let value = fields["limit"].flatMap({ read.int($0, fields.path("limit"), minimum: 1) }) { policy.limit = value }
        if let value = fields["backoff"] { policy.backoff = backoff(value, fields.path("backoff")) }
        if let value = fields["max_interval_sec"].flatMap({ read.int($0, fields.path("max_interval_sec")) }) { policy.maxIntervalSec = value }
        return policy
    }
}
