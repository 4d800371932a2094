/// The dependency graph of a DAG's steps: cycles, roots and dependents.
public struct StepGraph: Sendable {
    /// Step names in file order.
    public let order: [String]
    /// name → names it depends on.
    public let dependencies: [String: [String]]

    public init(steps: [Step]) {
        order = steps.map(\.name)
        var dependencies: [String: [String]] = [:]
        for step in steps { dependencies[step.name] = step.depends }
        self.dependencies = dependencies
    }

    /// name → names that depend on it, in file order.
    public var dependents: [String: [String]] {
        var result: [String: [String]] = [:]
        for name in order {
            for dependency in dependencies[name] ?? [] { result[dependency, default: []].append(name) }
        }
        return result
    }

    /// Every distinct cycle, each as a closed path `[a, b, a]`, starting at its first step in
    /// file order. Iterative DFS, so deep graphs cannot overflow the stack.
    public func cycles() -> [[String]] {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var found: [[String]] = []
        var seenCycles = Set<[String]>()
        let position = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for start in order where marks[start] == nil {
            var stack: [(name: String, next: Int)] = [(start, 0)]
            marks[start] = .visiting
            while var top = stack.popLast() {
                let edges = dependencies[top.name] ?? []
                if top.next < edges.count {
                    let target = edges[top.next]
                    top.next += 1
                    stack.append(top)
                    switch marks[target] {
                    case nil:
                        marks[target] = .visiting
                        stack.append((target, 0))
                    case .visiting?:
                        guard let from = stack.firstIndex(where: { $0.name == target }) else { continue }
                        var cycle = stack[from...].map(\.name)
                        // Rotate so it starts at the step that comes first in the file.
                        if let first = cycle.indices.min(by: { (position[cycle[$0]] ?? 0) < (position[cycle[$1]] ?? 0) }) {
                            cycle = Array(cycle[first...] + cycle[..<first])
                        }
                        if seenCycles.insert(cycle).inserted { found.append(cycle + [cycle[0]]) }
                    case .done?:
                        break
                    }
                } else {
                    marks[top.name] = .done
                }
            }
        }
        return found
    }
}
