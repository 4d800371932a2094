import Foundation
import Synchronization
import Logging
import TrellisCore

/// Executes one attempt of a run (§12.1): takes the run lock, runs the steps as the readiness
/// planner allows, records every state change, runs the handlers and writes the final status.
///
/// An actor: node executions run as child tasks and report back through it, so the snapshot is
/// only ever changed in one place.
public actor RunAgent {
    enum Event: Sendable {
        case nodeFinished(String)
        case stop
        case timeout
    }

    let request: RunRequest
    let deps: RunAgentDependencies
    let logger: Logger
    let planner: ReadinessPlanner
    let graph: StepGraph
    /// `(id, name)` of the steps and handlers that have an `id` (``scopeFor(_:isHandler:)``
    /// exposes them to every step), in file order.
    let steppedIDs: [(id: String, name: String)]
    /// Position of each step in `request.dag.steps`, by name.
    let stepSlots: [String: Int]
    var snapshot: RunSnapshot
    /// Position of each node in `snapshot.nodes`, by name; checked on every use and made again
    /// when the node list has been replaced (see ``slot(of:)``).
    var nodeSlots: [String: Int] = [:]
    var paths: RunPaths
    var scope = SubstitutionScope()
    var workingDirectory = ""
    var stopRequested = false
    var dagTimedOut = false
    var runErrors: [String] = []
    /// Processes running per node, for stop and timeouts.
    var processes: [String: ChildProcess] = [:]
    /// Nodes whose processes were signalled by a stop or the DAG timeout: they end `aborted`
    /// whatever their exit code.
    var signalledNodes = Set<String>()
    /// Set from any thread by ``requestStop()``; read when the loop starts so a stop that
    /// arrived earlier (during the init handler) is honoured before any step starts.
    let stopFlag = Mutex(false)
    /// Output variables in the order they were set: name → value.
    var outputs: [(name: String, value: String, node: String)] = []
    /// A batched change not yet written, and the write armed for it (``record(_:)``).
    var recordPending = false
    var pendingWrite: Task<Void, Never>?
    let events: AsyncStream<Event>
    let eventSink: AsyncStream<Event>.Continuation

    public init(request: RunRequest, dependencies: RunAgentDependencies, logger: Logger) {
        self.request = request
        self.deps = dependencies
        self.logger = logger
        planner = ReadinessPlanner(steps: request.dag.steps)
        graph = StepGraph(steps: request.dag.steps)
        steppedIDs = (request.dag.steps + request.dag.handlerOn.all).compactMap { step in step.id.map { ($0, step.name) } }
        stepSlots = Dictionary(request.dag.steps.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let header = request.header
        snapshot = RunSnapshot(header: header, attemptId: "", status: .notStarted, log: "", nodes: [])
        paths = dependencies.files.paths(of: header.run, attemptId: "")
        (events, eventSink) = AsyncStream.makeStream(of: Event.self)
    }

    /// Asks the agent to stop (SIGTERM, Ctrl-C, or the cancel-request file): no new nodes
    /// start, running ones get their stop signal, then SIGKILL after the clean-up time.
    public nonisolated func requestStop() {
        stopFlag.withLock { $0 = true }
        eventSink.yield(.stop)
    }

    /// Runs the attempt to its end and returns the final snapshot.
    public func run() async throws(RunAgentError) -> RunSnapshot {
        let run = request.header.run
        let lock = try await takeLock()
        defer { lock.release() }
        // A refused start changes nothing: the run belongs to whoever may start it.
        if let refusal = try startRefusal() { throw RunAgentError(refusal) }
        do {
            try await prepareAttempt()
        } catch {
            // Never leave the run claiming a state it is not in: record the failure.
            let message = "cannot start run \(run): \(error)"
            if let stored = try? deps.reader.latestSnapshot(of: run) {
                snapshot = stored
                snapshot.status = .failed
                snapshot.error = message
                snapshot.finishedAt = deps.now()
                record(.synced)
            }
            throw RunAgentError(message)
        }
        await execute()
        return snapshot
    }

    // MARK: - Lock and start guard

    /// Takes the run lock. With a start guard, a lock held by another process is tried again
    /// for the guard's patience while the guard still lets the run start.
    func takeLock() async throws(RunAgentError) -> any RunLock {
        let run = request.header.run
        let clock = ContinuousClock()
        let deadline = clock.now + (request.startGuard?.lockPatience ?? .zero)
        while true {
            let held: (any RunLock)?
            do {
                held = try deps.locking.tryLock(run)
            } catch {
                throw RunAgentError("cannot lock run \(run): \(error)")
            }
            if let held { return held }
            guard request.startGuard != nil, clock.now < deadline else {
                throw RunAgentError("run \(run) is already running")
            }
            if let refusal = try startRefusal() { throw RunAgentError(refusal) }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The start guard's refusal for the run's latest snapshot; `nil` without a guard.
    func startRefusal() throws(RunAgentError) -> String? {
        guard let startGuard = request.startGuard else { return nil }
        let run = request.header.run
        do {
            return try startGuard.refusal(try deps.reader.latestSnapshot(of: run))
        } catch {
            throw RunAgentError("cannot check whether run \(run) may start: \(error)")
        }
    }

    // MARK: - Recording

    /// Records the snapshot. A `.synced` record is written (and fsynced) at once, with every
    /// change before it. `.batched` changes are coalesced: the first one arms a write
    /// ``RunAgentDependencies/recordWindow`` later, which takes every change made meanwhile, so
    /// a burst of node transitions (a fan-out of 200 steps finishing within milliseconds) costs
    /// a few appends instead of one full snapshot per transition. The window grows with the
    /// snapshot, one more window per 50 nodes up to four, so that a wide run's snapshots (about
    /// 250 bytes a node) are not written more bytes per second than a small run's.
    func record(_ durability: Durability = .batched) {
        guard durability == .batched, deps.recordWindow > .zero else {
            write(durability)
            return
        }
        recordPending = true
        guard pendingWrite == nil else { return }
        let window = deps.recordWindow * min(4, 1 + snapshot.nodes.count / 50)
        pendingWrite = Task { [weak self] in
            try? await Task.sleep(for: window)
            await self?.writePending()
        }
    }

    /// The armed write: the latest snapshot, unless a synced record has taken it already.
    private func writePending() {
        pendingWrite = nil
        if recordPending { write(.batched) }
    }

    private func write(_ durability: Durability) {
        recordPending = false
        do {
            try deps.writer.append(snapshot, durability: durability)
        } catch {
            logger.error("cannot record run state", metadata: ["run.id": "\(request.header.run.id)", "error": "\(error)"])
        }
    }

    /// The node or handler record with this name (a new one if there is none yet).
    func node(_ name: String) -> NodeRecord {
        if let slot = slot(of: name) { return snapshot.nodes[slot] }
        return snapshot.handlers[name] ?? NodeRecord(name: name)
    }

    /// Replaces the node or handler record of the same name, without recording it.
    func store(_ record: NodeRecord) {
        if let slot = slot(of: record.name) {
            snapshot.nodes[slot] = record
        } else {
            snapshot.handlers[record.name] = record
        }
    }

    /// Replaces the record, then records the snapshot.
    func update(_ record: NodeRecord, durability: Durability = .batched) {
        store(record)
        self.record(durability)
    }

    /// Where the node `name` is in `snapshot.nodes`; nil for a handler. A wide run looks its
    /// nodes up several times per step, which a scan of the list made quadratic.
    private func slot(of name: String) -> Int? {
        if let slot = nodeSlots[name], slot < snapshot.nodes.count, snapshot.nodes[slot].name == name { return slot }
        guard let found = snapshot.nodes.firstIndex(where: { $0.name == name }) else { return nil }
        nodeSlots = Dictionary(snapshot.nodes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        return found
    }

    func logLine(_ message: String) {
        RunLog.append(message, to: paths.runLog, at: deps.now())
    }

    func step(named name: String) -> Step? {
        if let slot = stepSlots[name] { return request.dag.steps[slot] }
        return request.dag.handlerOn.all.first { $0.name == name }
    }
}
