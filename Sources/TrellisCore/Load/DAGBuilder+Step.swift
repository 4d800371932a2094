import Foundation

extension DAGBuilder {
    /// Reads one step (or handler) body. A bare string is `{command: <string>}`.
    func step(_ node: YAMLNode, _ path: String, kind: ObjectKind, chainItem: Int) -> ParsedStep? {
        if let text = node.text, !node.isNull {
            var step = Step(name: "cmd")
            step.line = node.line
            step.commands = [text]
            if text.contains("\n") { step.commands = []; step.script = text }
            return ParsedStep(step: step, path: path, declaredDepends: nil, dependsLine: node.line,
                              chainItem: chainItem, generatedName: true)
        }
        guard let fields = ObjectFields.read(node, kind: kind, path: path, log: log) else { return nil }
        var step = Step(name: "")
        step.line = node.line
        readCommand(fields, into: &step)
        readCommon(fields, into: &step)
        readKind(fields, into: &step)
        readControl(fields, into: &step)
        var generated = false
        if let name = fields["name"].flatMap({ read.string($0, fields.path("name")) }) {
            if name.isEmpty || name.count > 255 {
                log.error(fields.path("name"), "must have 1-255 characters", line: fields.line("name"))
            }
            step.name = name
        } else if let id = step.id {
            step.name = id
        } else {
            generated = true
            step.name = generatedPrefix(step)
        }
        var declared: [String]?
        if let dependsNode = fields["depends"] {
            declared = read.stringList(dependsNode, fields.path("depends")) ?? []
        }
        return ParsedStep(step: step, path: path, declaredDepends: declared, dependsLine: fields.line("depends"),
                          chainItem: chainItem, generatedName: generated)
    }

    private func generatedPrefix(_ step: Step) -> String {
        switch step.kind {
        case .command: return step.commands.isEmpty && step.script != nil ? "script" : "cmd"
        case .dag: return "dag"
        case .http: return "http"
        case .parallel: return "parallel"
        }
    }

    /// `command` (string, multi-line string or list) and `script`.
    private func readCommand(_ fields: ObjectFields, into step: inout Step) {
        if let node = fields["script"] { step.script = read.string(node, fields.path("script")) }
        guard let node = fields["command"], !node.isNull else { return }
        let path = fields.path("command")
        if let text = node.text {
            if text.contains("\n") {
                if step.script != nil {
                    log.error(path, "a multi-line command is a script, and this step also sets script; keep one", line: node.line)
                } else {
                    step.script = text
                }
            } else if text.trimmingCharacters(in: .whitespaces).isEmpty {
                log.error(path, "is empty", line: node.line)
            } else {
                step.commands = [text]
            }
            return
        }
        guard let items = node.items else {
            log.error(path, "must be a string or a list of commands, found \(node.kindName)", line: node.line)
            return
        }
        for (index, item) in items.enumerated() {
            if let text = item.text, !item.isNull {
                step.commands.append(text)
            } else if let pairs = item.pairs, pairs.count == 1, let value = pairs[0].value.text {
                // An unquoted `echo a: b` element parses as a one-key map; take it back as text.
                step.commands.append("\(pairs[0].key): \(value)")
            } else {
                log.error(FieldPath.index(path, index), "must be a command string, found \(item.kindName)", line: item.line)
            }
        }
        if items.isEmpty { log.error(path, "is an empty list", line: node.line) }
    }

    /// Fields every step type has.
    private func readCommon(_ fields: ObjectFields, into step: inout Step) {
        if let node = fields["id"], let id = read.string(node, fields.path("id")) {
            if let problem = NameRules.stepIDProblem(id) {
                log.error(fields.path("id"), problem, line: node.line)
            }
            step.id = id
        }
        if let node = fields["description"] { step.description = read.string(node, fields.path("description")) }
        if let node = fields["shell"] { step.shell = shell(node, fields.path("shell")) }
        if let node = fields["working_dir"] { step.workingDir = read.string(node, fields.path("working_dir")) }
        if let node = fields["env"] { step.env = env(node, fields.path("env")) }
        if let node = fields["output"] { step.output = output(node, fields.path("output")) }
        if let node = fields["stdout"] { step.stdout = read.string(node, fields.path("stdout")) }
        if let node = fields["stderr"] { step.stderr = read.string(node, fields.path("stderr")) }
        if let out = step.stdout, let err = step.stderr, out == err {
            log.error(fields.path("stderr"), "stdout and stderr name the same file \"\(out)\"; use different files", line: fields.line("stderr"))
        }
    }

    private func output(_ node: YAMLNode, _ path: String) -> String? {
        if node.pairs != nil {
            log.error(path, "the object form of output is not supported yet; use a variable name", line: node.line)
            return nil
        }
        guard var name = read.string(node, path) else { return nil }
        if name.hasPrefix("$") { name.removeFirst() }
        guard NameRules.isValidVariableName(name) else {
            log.error(path, "\"\(name)\" is not a valid variable name (letters, digits and \"_\", not starting with a digit)", line: node.line)
            return nil
        }
        return name
    }

    /// continue_on, retry_policy, repeat_policy, preconditions, timeout_sec, signal_on_stop.
    private func readControl(_ fields: ObjectFields, into step: inout Step) {
        if let node = fields["continue_on"] { step.continueOn = continueOn(node, fields.path("continue_on")) }
        if let node = fields["retry_policy"] { step.retryPolicy = retryPolicy(node, fields.path("retry_policy")) }
        if let node = fields["repeat_policy"] { step.repeatPolicy = repeatPolicy(node, fields.path("repeat_policy")) }
        if let node = fields["preconditions"] { step.preconditions = conditions(node, fields.path("preconditions")) }
        if let node = fields["timeout_sec"], let value = read.int(node, fields.path("timeout_sec")) { step.timeoutSec = value }
        if let node = fields["signal_on_stop"], let text = read.string(node, fields.path("signal_on_stop")) {
            if let name = SignalName.canonical(text) {
                step.signalOnStop = name
            } else {
                log.error(fields.path("signal_on_stop"), "unknown signal \"\(text)\"; use a name like SIGTERM, SIGINT or SIGKILL", line: node.line)
            }
        }
    }
}
