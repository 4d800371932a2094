import HTTPTypes

/// A route pattern: literal segments and `{param}` captures, matched against the
/// percent-decoded segments of the path below the mount.
struct RoutePattern: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]

    init(_ pattern: String) {
        segments = pattern.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }

    /// Captured parameters, or nil when the path does not match.
    func match(_ path: [String]) -> [String: String]? {
        guard path.count == segments.count else { return nil }
        var captures: [String: String] = [:]
        for (segment, value) in zip(segments, path) {
            switch segment {
            case .literal(let literal): if literal != value { return nil }
            case .parameter(let name): captures[name] = value
            }
        }
        return captures
    }

    /// The pattern as written (`/dags/{fileName}`), as the OpenAPI document names paths.
    var template: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let literal): literal
            case .parameter(let name): "{" + name + "}"
            }
        }.joined(separator: "/")
    }

    /// Literal segments rank before parameters (so `/dags/labels` beats `/dags/{fileName}`).
    var specificity: [Int] { segments.map { if case .literal = $0 { return 0 } else { return 1 } } }
}

/// The routes of the API: method + pattern → handler. Unknown path → 404; known path with
/// another method → 405 with `Allow` (API §1.1).
struct RouteTable<Handler: Sendable>: Sendable {
    struct Route: Sendable {
        var method: HTTPRequest.Method
        var pattern: RoutePattern
        var handler: Handler
    }

    private(set) var routes: [Route] = []

    mutating func add(_ method: HTTPRequest.Method, _ pattern: String, _ handler: Handler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), handler: handler))
        routes.sort { $0.pattern.specificity.lexicographicallyPrecedes($1.pattern.specificity) }
    }

    enum Resolution {
        case found(Handler, [String: String])
        case methodNotAllowed([HTTPRequest.Method])
        case notFound
    }

    func resolve(_ method: HTTPRequest.Method, _ path: [String]) -> Resolution {
        var allowed: [HTTPRequest.Method] = []
        var matchedPattern: [RoutePattern.Segment]?
        for route in routes {
            guard let captures = route.pattern.match(path) else { continue }
            // Only routes with the same shape as the first match count for 405.
            if let matched = matchedPattern, matched != route.pattern.segments { continue }
            matchedPattern = route.pattern.segments
            if route.method == method { return .found(route.handler, captures) }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }
}
