import Foundation
import Logging
import Synchronization
import Testing
import TrellisCore
@testable import TrellisStore
import TrellisTesting

/// An injected clock that only moves when a test moves it.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = StoreFixtures.epoch) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    /// The clock as the stores take it.
    var function: @Sendable () -> Date { { self.now } }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }

    func advance(days: Int) {
        advance(seconds: TimeInterval(days) * 86_400)
    }
}

/// A unique temporary folder, removed when the last reference goes.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.path + "/trellis-store-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Builders of headers and snapshots.
enum StoreFixtures {
    /// 2026-11-29T12:00:00Z.
    static let epoch = Date(timeIntervalSince1970: 1_795_953_600)

    static let quietLogger = Logger(label: "trellis.store.tests") { _ in SwiftLogNoOpLogHandler() }

    static func header(_ dag: String, _ id: String, at createdAt: Date, parent: RunRef? = nil) -> RunHeader {
        RunHeader(run: RunRef(name: dag, id: id), createdAt: createdAt, triggerType: parent == nil ? .manual : .subdag,
                  queue: dag, params: "A=1", paramsList: ["A=1"], root: parent, parent: parent, labels: ["team"])
    }

    static func snapshot(_ header: RunHeader, _ status: RunStatus = .notStarted, nodes: [String] = ["a", "b"]) -> RunSnapshot {
        RunSnapshot(header: header, attemptId: "", status: status, log: "", nodes: nodes.map { NodeRecord(name: $0) })
    }

    static let spec = "name: demo\nsteps:\n  - name: a\n    command: echo /tmp/x \"quoted\"\n"
}

/// The stores the contract suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case file
    case memory

    var description: String { rawValue }

    /// A fresh, empty store of this kind using `clock`.
    func make(clock: TestClock) -> StoreHarness {
        let directory = TemporaryDirectory()
        switch self {
        case .file:
            let store = FileRunStore(dataDirectory: directory.path + "/data", now: clock.function, logger: StoreFixtures.quietLogger)
            return StoreHarness(store: store, directory: directory, clock: clock)
        case .memory:
            return StoreHarness(store: InMemoryRunStore(baseDirectory: directory.path), directory: directory, clock: clock)
        }
    }
}

/// A store under test with its folder and clock.
struct StoreHarness: Sendable {
    typealias Store = RunWriter & RunReader & RunLocking & RunFiles
    let store: any Store
    let directory: TemporaryDirectory
    let clock: TestClock

    /// The file store, when this harness holds one.
    var file: FileRunStore? { store as? FileRunStore }

    /// Creates a run at the clock's time; returns its header.
    @discardableResult
    func create(_ dag: String, _ id: String, status: RunStatus = .notStarted, parent: RunRef? = nil) throws -> RunHeader {
        let header = StoreFixtures.header(dag, id, at: clock.now, parent: parent)
        try store.createRun(header, spec: StoreFixtures.spec, initial: StoreFixtures.snapshot(header, status))
        return header
    }

    /// Appends the latest snapshot with a new status.
    @discardableResult
    func move(_ run: RunRef, to status: RunStatus, durability: Durability = .synced) throws -> RunSnapshot {
        guard var snapshot = try store.latestSnapshot(of: run) else { throw StoreError(.notFound, "no run \(run)") }
        snapshot.status = status
        if status == .running { snapshot.startedAt = clock.now }
        if status.isFinalForIndex { snapshot.finishedAt = clock.now }
        try store.append(snapshot, durability: durability)
        return snapshot
    }

    /// Every page of a listing with page size `limit`.
    func allPages(dagName: String?, limit: Int) throws -> [[RunIndexEntry]] {
        var pages: [[RunIndexEntry]] = []
        var cursor: String?
        repeat {
            let page = try store.runs(dagName: dagName, limit: limit, cursor: cursor)
            pages.append(page.entries)
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 1_000
        return pages
    }
}

/// Expects `body` to throw a ``StoreError`` with `code`.
func expectStoreError(_ code: StoreError.Code, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.code == code, comment, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
