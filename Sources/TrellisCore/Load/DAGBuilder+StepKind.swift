import Foundation

extension DAGBuilder {
    private static let notYetTypes: Set<String> = ["jq", "mail", "ssh", "sftp", "docker", "container"]

    /// `type`/`with`, `call`/`params`/`parallel`: decides the step kind and rejects fields the
    /// kind cannot use (§7).
    func readKind(_ fields: ObjectFields, into step: inout Step) {
        var kind: StepKind?
        if let node = fields["type"], let text = read.string(node, fields.path("type")) {
            step.typeName = text
            switch text.lowercased() {
            case "command", "shell", "": kind = .command
            case "dag", "subworkflow": kind = fields.has("parallel") ? .parallel : .dag
            case "parallel": kind = .parallel
            case "http": kind = .http
            case let other where Self.notYetTypes.contains(other):
                log.error(fields.path("type"), "step type \"\(text)\" is not supported yet", line: node.line)
            default:
                log.error(fields.path("type"), "unknown step type \"\(text)\"", line: node.line)
            }
        }
        if kind == nil, step.typeName == nil, fields.has("call") {
            kind = fields.has("parallel") ? .parallel : .dag
        }
        step.kind = kind ?? .command
        if let node = fields["with"] { step.with = normalizedWith(node) }
        switch step.kind {
        case .command: checkCommandStep(fields, step, typeKnown: kind != nil || step.typeName == nil)
        case .dag, .parallel: readSubDAG(fields, into: &step)
        case .http: readHTTP(fields, into: &step)
        }
    }

    /// The `with:` block for echo: its own keys in canonical snake_case (§1.3 rule 1), the
    /// values, including user maps such as `headers`, exactly as written.
    private func normalizedWith(_ node: YAMLNode) -> JSONValue {
        guard let pairs = node.pairs else { return jsonValue(node) }
        return .object(JSONObject(pairs.map { (KeyStyle.snakeCase($0.key), jsonValue($0.value)) }))
    }

    private func reject(_ fields: ObjectFields, _ keys: [String], because reason: String) {
        for key in keys where fields.has(key) {
            log.error(fields.path(key), "\(key) cannot be used \(reason)", line: fields.line(key))
        }
    }

    private func checkCommandStep(_ fields: ObjectFields, _ step: Step, typeKnown: Bool) {
        if fields.has("parallel") && !fields.has("call") {
            log.error(fields.path("parallel"), "parallel needs call: the sub-DAG to run for each item", line: fields.line("parallel"))
        }
        if fields.has("call") {
            log.error(fields.path("call"), "call is only for sub-DAG steps; remove \"type: \(step.typeName ?? "command")\"", line: fields.line("call"))
        }
        if fields.has("params") && !fields.has("call") {
            log.error(fields.path("params"), "params is only for sub-DAG steps (call:)", line: fields.line("params"))
        }
        if fields.has("with") {
            log.error(fields.path("with"), "with is only used by step types that take settings (http)", line: fields.line("with"))
        }
        if typeKnown, step.commands.isEmpty, step.script == nil, fields["command"]?.isNull ?? true {
            log.error(fields.path, "the step has nothing to run: set command, script or call", line: fields.line)
        }
    }

    private func readSubDAG(_ fields: ObjectFields, into step: inout Step) {
        reject(fields, ["command", "script", "shell", "with"], because: "in a sub-DAG step (call:)")
        guard let node = fields["call"], let name = read.string(node, fields.path("call")) else {
            log.error(fields.path, "a sub-DAG step needs call: the name of the DAG to run", line: fields.line)
            return
        }
        step.call = name
        if name.contains("$") {
            // Resolved when the step starts.
        } else if !NameRules.isValidDAGName(name) {
            log.error(fields.path("call"), NameRules.dagNameProblem(name), line: node.line)
        } else if let known = options.knownDAGNames, !known.contains(name) {
            log.warning(fields.path("call"), "DAG \"\(name)\" is not in the DAGs directory (yet); the step fails if it is still missing when it starts", line: node.line)
        }
        if let params = fields["params"] { step.callParams = subDAGParams(params, fields.path("params")) }
        if step.kind == .parallel {
            if let parallel = fields["parallel"] {
                step.parallel = parallelSpec(parallel, fields.path("parallel"))
            } else {
                log.error(fields.path, "a parallel step needs parallel: the items to run the sub-DAG for", line: fields.line)
            }
        }
    }

    private func readHTTP(_ fields: ObjectFields, into step: inout Step) {
        reject(fields, ["script", "call", "params", "parallel"], because: "in an http step")
        guard step.commands.count == 1 else {
            log.error(fields.path("command"), "an http step needs command: \"<METHOD> <URL>\", e.g. \"POST https://example.com/hook\"", line: fields.line("command"))
            return
        }
        let parts = step.commands[0].trimmingCharacters(in: .whitespaces).split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 2 else {
            log.error(fields.path("command"), "an http step needs command: \"<METHOD> <URL>\", found \"\(step.commands[0])\"", line: fields.line("command"))
            return
        }
        var spec = HTTPSpec(method: parts[0].uppercased(), url: parts[1].trimmingCharacters(in: .whitespaces))
        if !(spec.method.allSatisfy { $0.isLetter }) {
            log.error(fields.path("command"), "\"\(parts[0])\" is not an HTTP method; write \"<METHOD> <URL>\"", line: fields.line("command"))
        }
        if let with = fields["with"] { readHTTPConfig(with, fields.path("with"), into: &spec) }
        step.http = spec
    }

    private func readHTTPConfig(_ node: YAMLNode, _ path: String, into spec: inout HTTPSpec) {
        guard let fields = ObjectFields.read(node, kind: .httpConfig, path: path, log: log) else { return }
        if let headers = fields["headers"] { spec.headers = stringMap(headers, fields.path("headers")) }
        if let query = fields["query"] { spec.query = stringMap(query, fields.path("query")) }
        if let body = fields["body"] {
            if body.scalar != nil {
                spec.body = read.string(body, fields.path("body"))
            } else {
                spec.body = jsonValue(body).serialized()
            }
        }
        if let timeout = fields["timeout"], let value = read.int(timeout, fields.path("timeout")) { spec.timeoutSec = value }
        if let silent = fields["silent"], let value = read.bool(silent, fields.path("silent")) { spec.silent = value }
        if let json = fields["json"], let value = read.bool(json, fields.path("json")) { spec.json = value }
        if let status = fields["expected_status"], let codes = read.intList(status, fields.path("expected_status")) {
            for code in codes where !(100...599).contains(code) {
                log.error(fields.path("expected_status"), "\(code) is not an HTTP status (100-599)", line: status.line)
            }
            spec.expectedStatus = codes
        }
    }
}
