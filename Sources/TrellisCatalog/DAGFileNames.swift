import TrellisCore

/// Which directory entries are DAG files (DAG-FORMAT §1.1), and which of `x.yaml` / `x.yml`
/// counts when both exist.
public enum DAGFileNames {
    /// Whether an entry name is a DAG file: `*.yaml` or `*.yml` with a non-empty stem, not a
    /// dotfile, not an editor temporary (`*~`, `*.swp`, vim's `4913`), no slash. Pass it to the
    /// watcher as its filter.
    @Sendable
    public static func isDAGFileName(_ name: String) -> Bool {
        guard !name.hasPrefix("."), !name.contains("/"), name != "4913" else { return false }
        guard !name.hasSuffix("~"), !name.hasSuffix(".swp") else { return false }
        return (name.hasSuffix(".yaml") && name.count > 5) || (name.hasSuffix(".yml") && name.count > 4)
    }

    /// The DAG file names of a listing grouped by stem, in order of precedence: `x.yaml`
    /// before `x.yml` (§1.1). The first one that is a regular file is used.
    static func candidates(_ names: [String]) -> [String: [String]] {
        var byStem: [String: [String]] = [:]
        for name in names where isDAGFileName(name) {
            byStem[DAGLoader.stem(of: name), default: []].append(name)
        }
        for (stem, group) in byStem where group.count > 1 {
            byStem[stem] = group.sorted { $0.hasSuffix(".yaml") && !$1.hasSuffix(".yaml") }
        }
        return byStem
    }
}
