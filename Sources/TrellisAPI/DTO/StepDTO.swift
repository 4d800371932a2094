import TrellisCore

/// `Step` as the API returns it (API §9.4) — not the YAML shape.
///
/// Always present: `name`, `commands`, `depends`, `preconditions`. Everything else is omitted
/// when unset, empty or 0. There is no `command` string field: every command is a
/// ``CommandEntry`` split into program and arguments.
public enum StepDTO {
    public static func render(_ step: Step) -> JSONValue {
        var object: JSONObject = ["name": .string(step.name)]
        object["id"] = DTOValue.text(step.id)
        object["description"] = DTOValue.text(step.description)
        object["dir"] = DTOValue.text(step.workingDir)
        object["commands"] = .array(commandEntries(step))
        object["script"] = DTOValue.text(step.script)
        object["stdout"] = DTOValue.text(step.stdout)
        object["stderr"] = DTOValue.text(step.stderr)
        object["output"] = DTOValue.text(step.output)
        if step.kind == .dag || step.kind == .parallel {
            object["call"] = DTOValue.text(step.call)
            object["params"] = DTOValue.text(step.callParams)
        }
        if step.kind == .parallel, let parallel = step.parallel {
            object["parallel"] = parallelObject(parallel)
        }
        object["depends"] = DTOValue.strings(step.depends)
        object["continueOn"] = StepPolicyDTO.continueOn(step.continueOn)
        object["retryPolicy"] = step.retryPolicy.map(StepPolicyDTO.retryPolicy)
        object["repeatPolicy"] = step.repeatPolicy.map(StepPolicyDTO.repeatPolicy)
        object["preconditions"] = .array(step.preconditions.map(ConditionDTO.render))
        object["timeoutSec"] = DTOValue.positive(step.timeoutSec)
        object["signalOnStop"] = DTOValue.text(step.signalOnStop)
        object["executorConfig"] = executorConfig(step)
        return .object(object)
    }

    /// `CommandEntry[]`: each command split with shell quoting rules into `{command, args}`;
    /// `[]` for script-only and sub-DAG steps; `{command: "<METHOD>", args: ["<URL>"]}` for http.
    public static func commandEntries(_ step: Step) -> [JSONValue] {
        switch step.kind {
        case .dag, .parallel:
            return []
        case .http:
            if let http = step.http {
                return [entry(command: http.method, args: [http.url])]
            }
            return step.commands.compactMap(commandEntry)
        case .command:
            return step.commands.compactMap(commandEntry)
        }
    }

    /// One command line as `{command, args}`; `nil` for a blank one.
    public static func commandEntry(_ line: String) -> JSONValue? {
        let words = ShellWords.split(line)
        guard let program = words.first else { return nil }
        return entry(command: program, args: Array(words.dropFirst()))
    }

    private static func entry(command: String, args: [String]) -> JSONValue {
        ["command": .string(command), "args": DTOValue.strings(args)]
    }

    /// `{items: string[] | string, maxConcurrent}`: a `${VAR}` reference stays a string; list
    /// items are strings as written, other values (numbers, maps of params) as compact JSON —
    /// the same text the engine passes as `ITEM`.
    private static func parallelObject(_ parallel: ParallelSpec) -> JSONValue {
        let items: JSONValue
        switch parallel.items {
        case .reference(let text):
            items = .string(text)
        case .list(let values):
            items = .array(values.map { value in
                if case .string(let text) = value { return .string(text) }
                return .string(value.serialized())
            })
        }
        return ["items": items, "maxConcurrent": .integer(parallel.maxConcurrent)]
    }

    /// `{type, config}` for steps that are not plain command steps: the `type` as written (else
    /// the kind: `dag`, `parallel`, `http`) and the `with:` block (`{}` when there is none).
    private static func executorConfig(_ step: Step) -> JSONValue? {
        guard step.kind != .command else { return nil }
        let type = step.typeName.flatMap { $0.isEmpty ? nil : $0 } ?? step.kind.rawValue
        let config: JSONValue
        if case .object(let object)? = step.with {
            config = .object(object)
        } else {
            config = .object(JSONObject())
        }
        return ["type": .string(type), "config": config]
    }
}
