import Yams

/// A YAML problem that stops loading: the document cannot be read at all.
struct YAMLLoadError: Error, Sendable, Equatable {
    var message: String
    var line: Int?
}

/// Parses DAG text into a ``YAMLNode`` tree, defending against hostile input.
///
/// Guards: the text must be UTF-8 and at most ``Limits/maxBytes``; one document only; nesting
/// at most ``Limits/maxDepth``; at most ``Limits/maxNodes`` values after expanding aliases, so an
/// alias bomb ("billion laughs") is an error instead of an exhausted machine.
struct YAMLDocumentParser {
    struct Limits: Sendable {
        var maxBytes = 8 << 20
        var maxDepth = 64
        var maxNodes = 100_000
    }

    var limits = Limits()

    /// Decodes bytes as UTF-8 and parses them; `nil` for an empty document.
    func parse(bytes: [UInt8]) -> Result<YAMLNode?, YAMLLoadError> {
        if bytes.count > limits.maxBytes {
            return .failure(YAMLLoadError(message: "file is too large: \(bytes.count) bytes, at most \(limits.maxBytes)", line: nil))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(invalidUTF8(bytes))
        }
        return parse(text: text)
    }

    /// Parses text; `nil` for an empty document.
    func parse(text: String) -> Result<YAMLNode?, YAMLLoadError> {
        if text.utf8.count > limits.maxBytes {
            return .failure(YAMLLoadError(message: "file is too large: \(text.utf8.count) bytes, at most \(limits.maxBytes)", line: nil))
        }
        if text.utf8.contains(0) {
            return .failure(YAMLLoadError(message: "file contains a NUL byte", line: lineOfFirstNUL(text)))
        }
        let root: Node?
        do {
            // An explicit encoding: Yams' `.default` reads the whole process environment on every
            // parse (13 % of a 5,000-file catalog scan); Swift strings are UTF-8 anyway.
            // The basic resolver: scalars are typed by this loader (`YAMLScalar.isPlain`) and merge
            // keys found by their text, never by Yams' tag resolution, whose default rules compile
            // regular expressions in every process that parses (a run agent's start) and run
            // them for every key Yams compares to find duplicates.
            let parser = try Parser(yaml: text, resolver: .basic, encoding: .utf8)
            root = try parser.nextRoot()
            if root != nil, let second = try parser.nextRoot() {
                return .failure(YAMLLoadError(
                    message: "a second YAML document (---) is not supported yet; keep one DAG per file",
                    line: second.mark?.line))
            }
        } catch let error as YamlError {
            return .failure(Self.describe(error))
        } catch {
            return .failure(YAMLLoadError(message: "cannot parse YAML: \(error)", line: nil))
        }
        guard let root else { return .success(nil) }
        var budget = limits.maxNodes
        return convert(root, depth: 0, budget: &budget).map { Optional($0) }
    }

    private func convert(_ node: Node, depth: Int, budget: inout Int) -> Result<YAMLNode, YAMLLoadError> {
        let line = node.mark?.line ?? 0
        if depth > limits.maxDepth {
            return .failure(YAMLLoadError(message: "nesting is deeper than \(limits.maxDepth) levels", line: line))
        }
        budget -= 1
        if budget < 0 {
            return .failure(YAMLLoadError(
                message: "document is too large: more than \(limits.maxNodes) YAML values, counting each use of an alias (alias bomb?)",
                line: line))
        }
        switch node {
        case .scalar(let scalar):
            // Plain and untagged: the only scalars that may be read as booleans, numbers or null.
            let plain = scalar.style == .plain && scalar.tag.rawValue.isEmpty
            return .success(YAMLNode(.scalar(YAMLScalar(text: scalar.string, isPlain: plain)), line: line))
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for child in sequence {
                switch convert(child, depth: depth + 1, budget: &budget) {
                case .success(let item): items.append(item)
                case .failure(let error): return .failure(error)
                }
            }
            return .success(YAMLNode(.sequence(items), line: line))
        case .mapping(let mapping):
            return convertMapping(mapping, line: line, depth: depth, budget: &budget)
        case .alias:
            return .failure(YAMLLoadError(message: "unresolved alias", line: line))
        }
    }

    private func convertMapping(_ mapping: Node.Mapping, line: Int, depth: Int, budget: inout Int) -> Result<YAMLNode, YAMLLoadError> {
        var pairs: [YAMLPair] = []
        var mergeSources: [YAMLNode] = []
        for (key, value) in mapping {
            guard case .scalar(let keyScalar) = key else {
                return .failure(YAMLLoadError(message: "mapping keys must be plain strings, found \(Self.kindName(key))", line: key.mark?.line ?? line))
            }
            let converted: YAMLNode
            switch convert(value, depth: depth + 1, budget: &budget) {
            case .success(let node): converted = node
            case .failure(let error): return .failure(error)
            }
            if keyScalar.string == "<<" && keyScalar.style == .plain {
                mergeSources.append(converted)
            } else {
                pairs.append(YAMLPair(key: keyScalar.string, keyLine: keyScalar.mark?.line ?? line, value: converted))
            }
        }
        if !mergeSources.isEmpty {
            switch merged(pairs, sources: mergeSources, line: line) {
            case .success(let all): pairs = all
            case .failure(let error): return .failure(error)
            }
        }
        return .success(YAMLNode(.mapping(pairs), line: line))
    }

    /// Applies YAML merge keys: explicit keys win, then earlier sources win over later ones.
    private func merged(_ explicit: [YAMLPair], sources: [YAMLNode], line: Int) -> Result<[YAMLPair], YAMLLoadError> {
        var result = explicit
        var seen = Set(explicit.map(\.key))
        var maps: [[YAMLPair]] = []
        for source in sources {
            if let pairs = source.pairs {
                maps.append(pairs)
            } else if let items = source.items, items.allSatisfy({ $0.pairs != nil }) {
                maps.append(contentsOf: items.compactMap(\.pairs))
            } else {
                return .failure(YAMLLoadError(message: "a merge key (<<) must name a map or a list of maps", line: source.line))
            }
        }
        for pairs in maps {
            for pair in pairs where !seen.contains(pair.key) {
                seen.insert(pair.key)
                result.append(pair)
            }
        }
        return .success(result)
    }

    private static func kindName(_ node: Node) -> String {
        switch node {
        case .scalar: return "a scalar"
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private func invalidUTF8(_ bytes: [UInt8]) -> YAMLLoadError {
        var offset = 0
        var line = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1 }
                offset += UTF8.width(scalar)
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        return YAMLLoadError(message: "file is not valid UTF-8 (bad byte at offset \(offset))", line: line)
    }

    private func lineOfFirstNUL(_ text: String) -> Int {
        var line = 1
        for byte in text.utf8 {
            if byte == 0 { break }
            if byte == UInt8(ascii: "\n") { line += 1 }
        }
        return line
    }

    static func describe(_ error: YamlError) -> YAMLLoadError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if problem.hasPrefix("Maximum nesting level") {
                return YAMLLoadError(message: "nesting is too deep (more than 1000 levels)", line: mark.line)
            }
            var message = "invalid YAML: \(problem)"
            if let context, !context.text.isEmpty { message += " (\(context.text))" }
            return YAMLLoadError(message: message, line: mark.line)
        case .reader(let problem, _, _, _):
            return YAMLLoadError(message: "invalid YAML: \(problem)", line: nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return YAMLLoadError(message: "duplicate key \(keys) in the same map", line: context.mark.line)
        default:
            return YAMLLoadError(message: "invalid YAML: \(error)", line: nil)
        }
    }
}
