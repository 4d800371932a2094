import Foundation

/// Applies the §5.3 substitution pipeline to strings, against a scope, in one of three modes.
///
/// The string is scanned once, left to right; substituted text is never scanned again, so a
/// value holding `$X`, `\$` or a backtick is inserted literally. Within that single pass the
/// stages keep their order: references inside a backtick command are substituted before the
/// command runs, while POSIX forms and `\$` inside it are left for the command's shell.
/// `${VAR:-default}` substitutes its default (full pipeline) only when the default is used.
public struct Substitutor: Sendable {
    /// The variables and step references in view.
    public var scope: SubstitutionScope
    /// Runs backtick commands; without one, a backtick in full mode is an error.
    public var commands: (any CommandSubstituting)?

    /// A substitutor over `scope`, running backtick commands with `commands`.
    public init(scope: SubstitutionScope, commands: (any CommandSubstituting)? = nil) {
        self.scope = scope
        self.commands = commands
    }

    /// `text` with what `mode` substitutes substituted and everything else left as written.
    public func substitute(_ text: String, mode: SubstitutionMode) async throws(SubstitutionError) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "$" || $0 == "`" }) else { return text }
        let tokens = SubstitutionParser.parse(text, full: mode.parsesFullSyntax)
        return try await render(tokens, policy: mode.policy)
    }

    /// The rendered `tokens`: each form substituted when `policy` resolves it, else as written.
    func render(_ tokens: [SubstitutionToken], policy: SubstitutionPolicy) async throws(SubstitutionError) -> String {
        var output = ""
        for token in tokens {
            switch token {
            case .literal(let text):
                output += text
            case .reference(let reference):
                output += resolve(reference, names: policy.names) ?? reference.original
            case .length(let name, let original):
                if policy.evaluatesPOSIXForms, let value = scope.value(of: name) {
                    output += String(value.unicodeScalars.count)
                } else {
                    output += original
                }
            case .defaultValue(let name, let fallback, _):
                output += try await renderDefault(name: name, fallback: fallback, policy: policy)
            case .command(let body, _):
                let command = try await render(body, policy: .commandBody)
                output += try await run(command)
            }
        }
        return output
    }

    private func renderDefault(
        name: String, fallback: [SubstitutionToken], policy: SubstitutionPolicy
    ) async throws(SubstitutionError) -> String {
        if policy.evaluatesPOSIXForms {
            if let value = scope.value(of: name), !value.isEmpty { return value }
            return try await render(fallback, policy: policy)
        }
        // Left to the shell, but Trellis references inside the default are still Trellis's.
        return "${\(name):-" + (try await render(fallback, policy: policy)) + "}"
    }

    /// The text for `reference`, or `nil` to leave it as written.
    func resolve(_ reference: VariableReference, names: SubstitutionPolicy.Names) -> String? {
        let text: String?
        if reference.isPlain {
            text = plainValue(of: reference.name, names: names)
        } else if let property = reference.stepProperty,
                  let value = scope.stepReferences[reference.name]?.value(of: property) {
            text = value
        } else {
            text = jsonValue(of: reference)
        }
        guard let text else { return nil }
        return reference.slice?.apply(to: text) ?? text
    }

    private func plainValue(of name: String, names: SubstitutionPolicy.Names) -> String? {
        switch names {
        case .anyDefined:
            scope.value(of: name)
        case .knownToTrellis:
            scope.trellisValue(of: name)
        case .positionalOnly:
            SubstitutionParser.isPositional(ArraySlice(name.unicodeScalars)) ? scope.trellisValue(of: name) : nil
        }
    }

    /// A JSON path into a variable of any layer: `${X.y}` has no shell meaning, so every mode
    /// resolves it when it can.
    private func jsonValue(of reference: VariableReference) -> String? {
        guard let raw = scope.value(of: reference.name),
              let document = try? JSONValue.parse(raw),
              let value = ReferencePathSegment.lookup(reference.path, in: document) else { return nil }
        return ReferencePathSegment.text(of: value)
    }

    private func run(_ command: String) async throws(SubstitutionError) -> String {
        guard let commands else {
            throw SubstitutionError(code: .commandUnavailable, command: command)
        }
        do {
            let output = try await commands.output(of: command)
            return output.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw SubstitutionError(code: .commandFailed, command: command, cause: error)
        }
    }
}
