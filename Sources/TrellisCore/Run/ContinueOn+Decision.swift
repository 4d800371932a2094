/// The decisions `continue_on` (§8.1) makes about a finished node.
extension ContinueOn {
    /// Whether the dependents of `node` may run after it: always after success or partial success;
    /// after a failure when ``continuesFailure(of:)``; after a skip when `skipped` is set.
    public func allowsDependents(after node: NodeState) -> Bool {
        switch node.status {
        case .succeeded, .partiallySucceeded: true
        case .failed: continuesFailure(of: node)
        case .skipped: skipped
        case .notStarted, .running, .aborted, .waiting, .rejected, .retrying: false
        }
    }

    /// Whether the failure of `node` is continued: the `failed` flag is set, its exit code is in
    /// `exit_code`, or its stdout matched `output` (``NodeState/outputMatched``, ignored when no
    /// `output` is configured).
    public func continuesFailure(of node: NodeState) -> Bool {
        if failed { return true }
        if let code = node.exitCode, exitCodes.contains(code) { return true }
        return !output.isEmpty && node.outputMatched
    }

    /// Whether a failure of `node` is recorded as `succeeded`: it is continued and `mark_success`
    /// is set.
    public func marksSuccess(of node: NodeState) -> Bool {
        markSuccess && node.status == .failed && continuesFailure(of: node)
    }

    /// Whether any line contains one of the `output` strings, or matches one of the `re:<regex>`
    /// patterns anywhere in the line. A pattern that is not a valid regular expression matches
    /// nothing. Lines are given without their line terminator.
    public func matchesOutput<Lines: Sequence>(lines: Lines) -> Bool where Lines.Element: StringProtocol {
        guard !output.isEmpty else { return false }
        var literals: [String] = []
        var patterns: [Regex<AnyRegexOutput>] = []
        for entry in output {
            if entry.hasPrefix(Self.regexPrefix) {
                if let regex = try? Regex(String(entry.dropFirst(Self.regexPrefix.count))) { patterns.append(regex) }
            } else {
                literals.append(entry)
            }
        }
        for line in lines {
            let text = String(line)
            if literals.contains(where: { text.contains($0) }) { return true }
            if patterns.contains(where: { text.contains($0) }) { return true }
        }
        return false
    }

    /// The prefix that marks an `output` entry as a regular expression.
    public static let regexPrefix = "re:"
}
