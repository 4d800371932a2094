/// Builds a ``DAG`` from a document tree, logging every problem instead of stopping.
struct DAGBuilder {
    let log: DiagnosticLog
    let fileStem: String
    let options: DAGLoadOptions
    var read: ValueReader { ValueReader(log: log) }

    init(log: DiagnosticLog, fileStem: String, options: DAGLoadOptions) {
        self.log = log
        self.fileStem = fileStem
        self.options = options
    }

    func build(_ root: YAMLNode?) -> DAG {
        var dag = DAG(name: fileStem, fileName: fileStem)
        if !NameRules.isValidDAGName(fileStem) {
            log.error("", NameRules.dagNameProblem(fileStem, what: "file name"), line: nil)
        }
        guard let root else {
            log.error("steps", "the file is empty; a DAG needs at least one step", line: nil)
            return dag
        }
        guard let fields = ObjectFields.read(root, kind: .dag, path: "", log: log) else { return dag }
        readIdentity(fields, into: &dag)
        readSettings(fields, into: &dag)
        if let node = fields["params"] { dag.params = params(node, fields.path("params")) }
        if let node = fields["env"] { dag.env = env(node, fields.path("env")) }
        if let node = fields["dotenv"] { dag.dotenv = read.stringList(node, fields.path("dotenv")) ?? [] }
        if let node = fields["schedule"] { dag.schedule = schedule(node, fields.path("schedule")) }
        if let node = fields["preconditions"] { dag.preconditions = conditions(node, fields.path("preconditions")) }
        readStepsAndHandlers(fields, into: &dag)
        return dag
    }

    private func readIdentity(_ fields: ObjectFields, into dag: inout DAG) {
        if let node = fields["name"], let name = read.string(node, fields.path("name")) {
            if NameRules.isValidDAGName(name) {
                dag.name = name
            } else {
                log.error(fields.path("name"), NameRules.dagNameProblem(name), line: node.line)
            }
        }
        if let node = fields["description"] { dag.description = read.string(node, fields.path("description")) }
        if let node = fields["group"] { dag.group = read.string(node, fields.path("group")) }
        if let node = fields["labels"] { dag.labels = labels(node, fields.path("labels")) }
    }

    private func readSettings(_ fields: ObjectFields, into dag: inout DAG) {
        func int(_ key: String, minimum: Int = 0) -> Int? {
            fields[key].flatMap { read.int($0, fields.path(key), minimum: minimum) }
        }
        if let value = int("timeout_sec") { dag.timeoutSec = value }
        if let value = int("delay_sec") { dag.delaySec = value }
        if let value = int("max_active_steps") { dag.maxActiveSteps = value }
        if let value = int("max_active_runs", minimum: 1) { dag.maxActiveRuns = value }
        if let value = int("max_clean_up_time_sec") { dag.maxCleanUpTimeSec = value }
        if let value = int("max_output_size", minimum: 1) { dag.maxOutputSize = value }
        if let value = int("hist_retention_days") { dag.histRetentionDays = value == 0 ? 30 : value }
        if let node = fields["skip_if_successful"], let value = read.bool(node, fields.path("skip_if_successful")) {
            dag.skipIfSuccessful = value
        }
        if let node = fields["working_dir"] { dag.workingDir = read.string(node, fields.path("working_dir")) }
        if let node = fields["shell"] { dag.shell = shell(node, fields.path("shell")) }
        if let node = fields["queue"], let queue = read.string(node, fields.path("queue")) {
            if NameRules.isValidDAGName(queue) {
                dag.queue = queue
            } else {
                log.error(fields.path("queue"), NameRules.dagNameProblem(queue, what: "queue name"), line: node.line)
            }
        }
    }

    private func readStepsAndHandlers(_ fields: ObjectFields, into dag: inout DAG) {
        let explicitType = fields["type"].flatMap { node -> DAGType? in
            guard let text = read.string(node, fields.path("type")) else { return nil }
            guard let type = DAGType(rawValue: text) else {
                log.error(fields.path("type"), "must be \"chain\" or \"graph\", found \"\(text)\"", line: node.line)
                return nil
            }
            return type
        }
        if let node = fields["steps"] {
            let parsed = steps(node, fields.path("steps"), explicitType: explicitType)
            dag.type = parsed.type
            dag.steps = parsed.steps
        } else {
            log.error("steps", "is required; a DAG needs at least one step", line: fields.line)
        }
        if let node = fields["handler_on"] { dag.handlerOn = handlers(node, fields.path("handler_on")) }
        checkUniqueNames(dag)
    }

    /// Step names unique across steps and handlers; ids unique.
    private func checkUniqueNames(_ dag: DAG) {
        var names: [String: Step] = [:]
        var ids: [String: Step] = [:]
        for step in dag.steps + dag.handlerOn.all {
            if let other = names[step.name] {
                log.error("steps", "step name \"\(step.name)\" is used twice (lines \(other.line ?? 0) and \(step.line ?? 0)); step names must be unique", line: step.line)
            } else {
                names[step.name] = step
            }
            if let id = step.id {
                if let other = ids[id] {
                    log.error("steps", "step id \"\(id)\" is used by both \"\(other.name)\" and \"\(step.name)\"; step ids must be unique", line: step.line)
                } else {
                    ids[id] = step
                }
            }
        }
    }
}
