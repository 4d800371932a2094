import TrellisCore

/// Day index files newest first, from a given day backwards, found lazily: the global index
/// folder is listed once; a DAG's `<YYYY>/<MM>/<DD>` tree is listed one level at a time, only as
/// far as the walk goes.
struct DayFileWalker {
    /// One day's index file (it may not exist: a day folder can outlive its index).
    struct Day: Hashable {
        var day: String
        var path: String
    }

    private let layout: RunLayout
    private let dagName: String?
    private let notAfter: String?
    private var years: [String] = []
    private var months: [(year: String, month: String)] = []
    private var days: [Day] = []

    /// - Parameters:
    ///   - notAfter: the newest day to return (`YYYY-MM-DD`), or `nil` for all.
    ///   - globalDays: the global index's days newest first, when already listed.
    init(layout: RunLayout, dagName: String?, notAfter: String?, globalDays: [String]? = nil) throws(StoreError) {
        self.layout = layout
        self.dagName = dagName
        self.notAfter = notAfter
        if let dagName {
            years = try Self.numbered(layout.dagDirectory(dagName), width: 4).filter { Self.allows($0, notAfter) }
        } else {
            var listed = globalDays ?? []
            if globalDays == nil { listed = try Self.globalDays(layout) }
            days = listed
                .filter { Self.allows($0, notAfter) }
                .map { Day(day: $0, path: layout.globalIndexPath(day: $0)) }
        }
    }

    /// The days of the global index folder, newest first (one `readdir`).
    static func globalDays(_ layout: RunLayout) throws(StoreError) -> [String] {
        try Posix.list(layout.globalIndexDirectory)
            .filter { $0.hasSuffix(".jsonl") && $0.count == 16 }
            .map { String($0.prefix(10)) }
            .filter { UTCDay.dayNumber($0) != nil }
            .sorted(by: >)
    }

    /// The next older day, or `nil` at the end.
    mutating func next() throws(StoreError) -> Day? {
        while true {
            if !days.isEmpty { return days.removeFirst() }
            guard let dagName else { return nil }
            if !months.isEmpty {
                let (year, month) = months.removeFirst()
                let folder = layout.dagDirectory(dagName) + "/" + year + "/" + month
                days = try Self.numbered(folder, width: 2)
                    .map { year + "-" + month + "-" + $0 }
                    .filter { UTCDay.dayNumber($0) != nil && Self.allows($0, notAfter) }
                    .map { Day(day: $0, path: layout.dagIndexPath(dag: dagName, day: $0)) }
                continue
            }
            guard !years.isEmpty else { return nil }
            let year = years.removeFirst()
            months = try Self.numbered(layout.dagDirectory(dagName) + "/" + year, width: 2)
                .filter { Self.allows(year + "-" + $0, notAfter) }
                .map { (year, $0) }
        }
    }

    /// Names of `width` digits in a folder, descending.
    static func numbered(_ folder: String, width: Int) throws(StoreError) -> [String] {
        try Posix.list(folder)
            .filter { $0.count == width && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
            .sorted(by: >)
    }

    /// Whether a day or a prefix of one (`YYYY`, `YYYY-MM`) may hold days up to `notAfter`.
    private static func allows(_ prefix: String, _ notAfter: String?) -> Bool {
        guard let notAfter else { return true }
        return prefix <= String(notAfter.prefix(prefix.count))
    }
}
