/// One piece of a parsed template: literal text or a form the pipeline may substitute.
///
/// Every non-literal token keeps its `original` text, which is what renders when the form is not
/// resolved (undefined variable, missing JSON key, mode that leaves it to the shell).
indirect enum SubstitutionToken: Sendable, Hashable {
    /// Text emitted as is (escapes already applied).
    case literal(String)
    /// `$NAME`, `${NAME}`, `${NAME.path}`, `${id.stdout}`, with an optional `:offset:length`.
    case reference(VariableReference)
    /// `${#NAME}`: the length of a defined variable, in Unicode scalars.
    case length(name: String, original: String)
    /// `${NAME:-word}`: the value if defined and non-empty, else `word` substituted.
    case defaultValue(name: String, fallback: [SubstitutionToken], original: String)
    /// `` `body` ``: command substitution (full mode only).
    case command(body: [SubstitutionToken], original: String)
}

/// A variable or step reference with an optional JSON path and slice.
struct VariableReference: Sendable, Hashable {
    /// The variable name, step id, or positional number (`"1"`).
    var name: String
    /// The JSON path (or single step property) after the name; empty for a plain reference.
    var path: [ReferencePathSegment] = []
    /// The `:offset:length` applied to the resolved text.
    var slice: ValueSlice?
    /// The text as written, from `$` to the end of the reference.
    var original: String

    /// Whether this is `$NAME` / `${NAME}` with no path (a slice is allowed).
    var isPlain: Bool { path.isEmpty }

    /// The step property named by a single-key path (`stdout`, `exit_code`, …).
    var stepProperty: String? {
        guard path.count == 1, case .key(let key) = path[0], StepReference.properties.contains(key) else { return nil }
        return key
    }
}

/// One step of a JSON path: `.key`, `["key"]` or `[index]`.
enum ReferencePathSegment: Sendable, Hashable {
    case key(String)
    /// An array index; negative counts from the end, as in jq.
    case index(Int)
}

/// Accumulates literal text between tokens.
struct SubstitutionTokenBuffer {
    private(set) var tokens: [SubstitutionToken] = []
    private var text = String.UnicodeScalarView()

    mutating func append(_ scalar: Unicode.Scalar) {
        text.append(scalar)
    }

    mutating func append(_ literal: String) {
        text.append(contentsOf: literal.unicodeScalars)
    }

    mutating func append(token: SubstitutionToken) {
        if case .literal(let literal) = token {
            append(literal)
            return
        }
        flush()
        tokens.append(token)
    }

    mutating func finish() -> [SubstitutionToken] {
        flush()
        return tokens
    }

    private mutating func flush() {
        guard !text.isEmpty else { return }
        tokens.append(.literal(String(text)))
        text = String.UnicodeScalarView()
    }
}
