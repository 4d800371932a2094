import Foundation

extension DAGBuilder {
    /// `schedule` (§15.1): a cron string, a list, or a map with `start`, `stop`, `restart`.
    func schedule(_ node: YAMLNode, _ path: String) -> Schedule {
        var result = Schedule()
        if node.isNull { return result }
        if node.pairs != nil {
            guard let fields = ObjectFields.read(node, kind: .schedule, path: path, log: log) else { return result }
            if let start = fields["start"] { result.start = entries(start, fields.path("start"), allowAt: true) }
            if let stop = fields["stop"] { result.stop = entries(stop, fields.path("stop"), allowAt: false) }
            if let restart = fields["restart"] {
                result.restart = entries(restart, fields.path("restart"), allowAt: false)
                log.warning(fields.path("restart"), "restart schedules are not supported yet and are ignored", line: fields.line("restart"))
            }
            return result
        }
        result.start = entries(node, path, allowAt: true)
        return result
    }

    private func entries(_ node: YAMLNode, _ path: String, allowAt: Bool) -> [ScheduleEntry] {
        if node.isNull { return [] }
        if let items = node.items {
            return items.enumerated().compactMap { entry($1, FieldPath.index(path, $0), allowAt: allowAt) }
        }
        return entry(node, path, allowAt: allowAt).map { [$0] } ?? []
    }

    private func entry(_ node: YAMLNode, _ path: String, allowAt: Bool) -> ScheduleEntry? {
        if let text = node.text, !node.isNull { return cron(text, path, line: node.line) }
        guard let fields = ObjectFields.read(node, kind: .scheduleEntry, path: path, log: log) else { return nil }
        let kind = fields["kind"].flatMap { read.string($0, fields.path("kind")) }
        if let kind, kind != "cron", kind != "at" {
            log.error(fields.path("kind"), "must be \"cron\" or \"at\", found \"\(kind)\"", line: fields.line("kind"))
            return nil
        }
        switch (fields["expression"], fields["at"]) {
        case (let expression?, nil):
            if kind == "at" { log.error(path, "kind is \"at\" but the entry has an expression", line: node.line) }
            return read.string(expression, fields.path("expression")).flatMap { cron($0, fields.path("expression"), line: expression.line) }
        case (nil, let at?):
            if kind == "cron" { log.error(path, "kind is \"cron\" but the entry has at", line: node.line) }
            guard allowAt else {
                log.error(fields.path("at"), "one-off at entries are only allowed under start", line: at.line)
                return nil
            }
            return read.string(at, fields.path("at")).flatMap { oneOff($0, fields.path("at"), line: at.line) }
        case (.some, .some):
            log.error(path, "set either expression or at, not both", line: node.line)
        case (nil, nil):
            log.error(path, "a schedule entry needs expression or at", line: node.line)
        }
        return nil
    }

    private func cron(_ text: String, _ path: String, line: Int) -> ScheduleEntry? {
        do {
            let expression = try CronExpression(parsing: text)
            for warning in expression.warnings { log.warning(path, warning, line: line) }
            return .cron(expression)
        } catch {
            log.error(path, error.message, line: line)
            return nil
        }
    }

    private func oneOff(_ text: String, _ path: String, line: Int) -> ScheduleEntry? {
        switch OneOffTime.parse(text) {
        case .success(let date): return .at(date, source: text)
        case .failure(let problem):
            log.error(path, problem.message, line: line)
            return nil
        }
    }
}
