/// Collects every diagnostic of one load, so the loader can report all problems at once.
///
/// A reference type used only inside one synchronous load; it never crosses a concurrency
/// domain, so it is not `Sendable`.
final class DiagnosticLog {
    let file: String?
    private(set) var items: [Diagnostic] = []

    init(file: String?) {
        self.file = file
    }

    func error(_ path: String, _ message: String, line: Int?) {
        items.append(Diagnostic(.error, file: file, line: line, path: path, message: message))
    }

    func warning(_ path: String, _ message: String, line: Int?) {
        items.append(Diagnostic(.warning, file: file, line: line, path: path, message: message))
    }

    var hasErrors: Bool { items.contains { $0.isError } }

    var errorCount: Int { items.count { $0.isError } }
}
