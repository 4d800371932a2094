/// A step as read, before dependencies are resolved.
struct ParsedStep {
    var step: Step
    var path: String
    /// `depends` as written; `nil` when the key is absent.
    var declaredDepends: [String]?
    var dependsLine: Int
    /// Index of the chain item it belongs to (parallel group members share one).
    var chainItem: Int
    /// True when the name was generated.
    var generatedName: Bool
}

extension DAGBuilder {
    /// Reads `steps`, infers chain or graph (§3) and resolves `depends`.
    func steps(_ node: YAMLNode, _ path: String, explicitType: DAGType?) -> (type: DAGType, steps: [Step]) {
        guard let items = node.items else {
            if node.pairs != nil {
                log.error(path, "the map form of steps (name: step) is not supported yet; write steps as a list", line: node.line)
            } else {
                log.error(path, "must be a list of steps, found \(node.kindName)", line: node.line)
            }
            return (explicitType ?? .chain, [])
        }
        if items.isEmpty {
            log.error(path, "is empty; a DAG needs at least one step", line: node.line)
        }
        var parsed: [ParsedStep] = []
        var sawGroup = false
        for (index, item) in items.enumerated() {
            let itemPath = FieldPath.index(path, index)
            if let group = item.items {
                sawGroup = true
                for (inner, member) in group.enumerated() {
                    let memberPath = FieldPath.index(itemPath, inner)
                    if member.items != nil {
                        log.error(memberPath, "parallel groups cannot be nested", line: member.line)
                    } else if let step = step(member, memberPath, kind: .step, chainItem: index) {
                        parsed.append(step)
                    }
                }
            } else if let step = step(item, itemPath, kind: .step, chainItem: index) {
                parsed.append(step)
            }
        }
        nameGeneratedSteps(&parsed)
        let anyDepends = parsed.contains { $0.declaredDepends != nil }
        let type: DAGType
        switch explicitType {
        case .chain?:
            for step in parsed where step.declaredDepends != nil {
                log.error(FieldPath.key(step.path, "depends"),
                          "step \"\(step.step.name)\" declares depends, but the DAG type is chain; remove \"type: chain\" or use \"type: graph\"",
                          line: step.dependsLine)
            }
            type = .chain
        case .graph?: type = .graph
        case nil: type = anyDepends ? .graph : .chain
        }
        if type == .graph, sawGroup {
            for (index, item) in items.enumerated() where item.items != nil {
                log.error(FieldPath.index(path, index), "a nested list (parallel group) is only allowed in a chain; in a graph use depends", line: item.line)
            }
        }
        let resolved = type == .chain ? chainDependencies(parsed) : graphDependencies(parsed)
        return (type, resolved)
    }

    /// Names steps without `name`/`id` as `<kind>_<n>` (n = position), bumping on collision.
    private func nameGeneratedSteps(_ parsed: inout [ParsedStep]) {
        var used = Set(parsed.filter { !$0.generatedName }.map(\.step.name))
        for index in parsed.indices where parsed[index].generatedName {
            let prefix = parsed[index].step.name
            var number = index + 1
            while used.contains("\(prefix)_\(number)") { number += 1 }
            parsed[index].step.name = "\(prefix)_\(number)"
            used.insert(parsed[index].step.name)
        }
    }

    /// At most this many cycles are listed; a hostile file cannot make the report huge.
    static let maxReportedCycles = 10

    /// `a -> b -> … -> a`, eliding the middle of very long cycles.
    static func abbreviated(_ cycle: [String]) -> String {
        guard cycle.count > 40 else { return cycle.joined(separator: " -> ") }
        let head = cycle.prefix(20).joined(separator: " -> ")
        let tail = cycle.suffix(19).joined(separator: " -> ")
        return head + " -> … (\(cycle.count - 39) more) … -> " + tail
    }

    /// Chain: each item depends on every step of the previous item.
    private func chainDependencies(_ parsed: [ParsedStep]) -> [Step] {
        var previous: [String] = []
        var currentItem = -1
        var current: [String] = []
        var result: [Step] = []
        for entry in parsed {
            if entry.chainItem != currentItem {
                if currentItem >= 0 { previous = current }
                current = []
                currentItem = entry.chainItem
            }
            var step = entry.step
            step.depends = previous
            current.append(step.name)
            result.append(step)
        }
        return result
    }

    /// Graph: resolve declared names or ids; report unknown targets and cycles.
    private func graphDependencies(_ parsed: [ParsedStep]) -> [Step] {
        var byReference: [String: String] = [:]
        for entry in parsed {
            byReference[entry.step.name] = entry.step.name
        }
        for entry in parsed {
            if let id = entry.step.id, byReference[id] == nil { byReference[id] = entry.step.name }
        }
        var result: [Step] = []
        // Suggestions cost an edit distance per step name: offer them for the first few
        // unknown targets only, so a file full of typos still loads fast.
        var suggestionsLeft = 20
        for entry in parsed {
            var step = entry.step
            var seen = Set<String>()
            for reference in entry.declaredDepends ?? [] {
                guard let target = byReference[reference] else {
                    var message = "unknown step \"\(reference)\""
                    if suggestionsLeft > 0, let hint = KeyStyle.suggestion(for: reference, among: parsed.map(\.step.name)) {
                        message += "; did you mean \"\(hint)\"?"
                    }
                    suggestionsLeft -= 1
                    log.error(FieldPath.key(entry.path, "depends"), message, line: entry.dependsLine)
                    continue
                }
                if seen.insert(target).inserted { step.depends.append(target) }
            }
            result.append(step)
        }
        let cycles = StepGraph(steps: result).cycles()
        for cycle in cycles.prefix(Self.maxReportedCycles) {
            let line = parsed.first { $0.step.name == cycle.first }?.dependsLine
            log.error("steps", "cycle: " + Self.abbreviated(cycle), line: line)
        }
        if cycles.count > Self.maxReportedCycles {
            let last = parsed.first { $0.step.name == cycles[Self.maxReportedCycles - 1].first }?.dependsLine
            log.error("steps", "\(cycles.count - Self.maxReportedCycles) more cycles not listed", line: last)
        }
        return result
    }
}
