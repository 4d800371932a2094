import Foundation

/// What an enqueue asks for (§14.3; CLI `enqueue`, API enqueue).
public struct EnqueueRequest: Sendable {
    /// The loaded, valid DAG.
    public var dag: DAG
    /// The DAG text the run is created from (stored verbatim with the run).
    public var spec: String
    /// The run ID; `nil` = a new UUID v7.
    public var runID: String?
    /// The resolved params.
    public var params: ResolvedParams
    /// Labels added to the DAG's for this run (lower-cased, without duplicates).
    public var labels: [String]
    /// A queue other than the DAG's (a declared global queue, or the DAG's own queue); `nil`
    /// or empty = the DAG's queue.
    public var queue: String?
    /// The DAG file's stem; `nil` for an inline spec.
    public var sourceFileName: String?
    public var triggerType: TriggerType
    public var scheduleTime: Date?

    public init(dag: DAG, spec: String, runID: String? = nil, params: ResolvedParams, labels: [String] = [],
                queue: String? = nil, sourceFileName: String? = nil, triggerType: TriggerType = .manual,
                scheduleTime: Date? = nil) {
        self.dag = dag
        self.spec = spec
        self.runID = runID
        self.params = params
        self.labels = labels
        self.queue = queue
        self.sourceFileName = sourceFileName
        self.triggerType = triggerType
        self.scheduleTime = scheduleTime
    }
}

/// Why an enqueue or dequeue was refused; `message` is what the API and the CLI show.
public struct QueueingError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The requested queue is neither a declared global queue nor the DAG's own queue.
        case invalidQueue
        /// The run ID is taken for that DAG name.
        case runExists
        /// No such run.
        case notFound
        /// The run is not `queued` (it carries its status).
        case notQueued(RunStatus)
        /// The run is claimed by the dispatcher or occupies a slot: stop it instead.
        case dispatching
        /// The run belongs to another queue.
        case otherQueue
        /// The queue holds no queued run.
        case empty
        /// The store failed.
        case store(StoreError.Code)
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Enqueue and dequeue (§14.3, §14.4) over the store protocols; shared by the CLI and the API.
/// Dispatching is the scheduler's part.
public struct RunQueueing: Sendable {
    public let reader: any RunReader
    public let writer: any RunWriter
    public let queues: any QueueStore
    /// The declared global queues (config `queues`, §14.1).
    public let globalQueues: [QueueConfig]
    public let now: @Sendable () -> Date

    public init(reader: any RunReader, writer: any RunWriter, queues: any QueueStore, globalQueues: [QueueConfig],
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.reader = reader
        self.writer = writer
        self.queues = queues
        self.globalQueues = globalQueues
        self.now = now
    }

    /// The error of a dequeue of a run that is not queued (API §6.8).
    public static func notQueuedMessage(_ status: RunStatus) -> String {
        "dag-run is not queued (status: \(status.label))"
    }

    /// The queue a DAG runs in (§14.1): its `queue:` (a declared global queue, or an undeclared
    /// name that behaves as a queue of concurrency 1), else its own queue named after it.
    public static func defaultQueue(of dag: DAG) -> String {
        dag.queue.flatMap { $0.isEmpty ? nil : $0 } ?? dag.name
    }

    /// The declared global queue named `name`.
    public func globalQueue(named name: String) -> QueueConfig? {
        globalQueues.first { $0.name == name }
    }

    /// The queue an enqueue of `dag` goes to: `requested` when it is a declared global queue or
    /// the DAG's own queue (its name, or the queue it runs in anyway), else an error; the DAG's
    /// queue when nothing is requested.
    public func queueName(for dag: DAG, requested: String?) throws(QueueingError) -> String {
        guard let requested = requested?.trimmingCharacters(in: .whitespaces), !requested.isEmpty else {
            return Self.defaultQueue(of: dag)
        }
        if globalQueue(named: requested) != nil || requested == dag.name || requested == Self.defaultQueue(of: dag) {
            return requested
        }
        throw QueueingError(.invalidQueue, "queue \(requested) is not a global queue or the own queue of DAG \(dag.name)")
    }

    /// Enqueues a run (§14.3): creates the run record with status `queued` and `queuedAt`
    /// (synced), then appends `enqueue` to its queue's file (synced). Returns the stored snapshot.
    /// A taken run ID → ``QueueingError/Code/runExists``.
    public func enqueue(_ request: EnqueueRequest) throws(QueueingError) -> RunSnapshot {
        let queue = try queueName(for: request.dag, requested: request.queue)
        let time = now()
        let run = RunRef(name: request.dag.name, id: request.runID ?? RunIDGenerator.uuidV7(now: time))
        var labels = request.dag.labels.map(\.description)
        for label in request.labels {
            let text = label.trimmingCharacters(in: .whitespaces).lowercased()
            if !text.isEmpty, !labels.contains(text) { labels.append(text) }
        }
        let header = RunHeader(
            run: run, createdAt: time, triggerType: request.triggerType, queue: queue,
            params: request.params.paramsString,
            paramsList: request.params.items.map { item in item.name.map { "\($0)=\(item.rendered)" } ?? item.rendered },
            rawParamsJSON: request.params.rawJSON, scheduleTime: request.scheduleTime, labels: labels,
            sourceFileName: request.sourceFileName)
        var initial = RunSnapshot(header: header, attemptId: "", status: .queued, log: "",
                                  nodes: request.dag.steps.map { NodeRecord(name: $0.name) })
        initial.queuedAt = time
        do {
            try writer.createRun(header, spec: request.spec, initial: initial)
        } catch {
            if error.code == .runExists {
                throw QueueingError(.runExists, "dag-run ID \(run.id) already exists for DAG \(run.name)")
            }
            throw QueueingError(.store(error.code), "cannot create dag-run \(run.id) of DAG \(run.name): \(error)")
        }
        let stored = (try? reader.latestSnapshot(of: run)) ?? nil
        do {
            try queues.append(QueueRecord(.enqueue, run, at: time, priority: .low), to: queue)
        } catch {
            // Not in the queue file, the run would wait forever: fail it instead.
            if var failed = stored {
                failed.status = .failed
                failed.finishedAt = now()
                failed.error = "cannot enqueue: \(error)"
                try? writer.append(failed, durability: .synced)
            }
            throw QueueingError(.store(error.code), "cannot enqueue dag-run \(run.id) of DAG \(run.name): \(error)")
        }
        return stored ?? initial
    }

    /// Dequeues a `queued` run (§14.4) that the dispatcher has not claimed: under the queue's
    /// lock, appends the run's `aborted` snapshot with error "dequeued" (synced) and a `dequeue`
    /// record. Returns the aborted snapshot.
    public func dequeue(_ run: RunRef) throws(QueueingError) -> RunSnapshot {
        let seen = try snapshot(of: run)
        guard seen.status == .queued else { throw QueueingError(.notQueued(seen.status), Self.notQueuedMessage(seen.status)) }
        return try dequeue(run, queue: seen.queue.isEmpty ? run.name : seen.queue)
    }

    /// Dequeues `run` from `queue`, or — without a run — the first queued run of `queue`.
    /// A run of another queue → ``QueueingError/Code/otherQueue``.
    public func dequeue(from queue: String, run: RunRef?) throws(QueueingError) -> RunSnapshot {
        if let run {
            let seen = try snapshot(of: run)
            let own = seen.queue.isEmpty ? run.name : seen.queue
            guard own == queue else {
                throw QueueingError(.otherQueue, "dag-run \(run.id) of DAG \(run.name) is in queue \(own), not \(queue)")
            }
            guard seen.status == .queued else { throw QueueingError(.notQueued(seen.status), Self.notQueuedMessage(seen.status)) }
            return try dequeue(run, queue: queue)
        }
        let state: QueueState
        do {
            state = try queues.state(of: queue)
        } catch {
            throw QueueingError(.store(error.code), "cannot read queue \(queue): \(error)")
        }
        for item in state.open {
            guard let current = try? reader.latestSnapshot(of: item.run), current.status == .queued else { continue }
            do {
                return try dequeue(item.run, queue: queue)
            } catch {
                // Taken or finished meanwhile: try the next one.
                if case .notQueued = error.code { continue }
                if error.code == .dispatching || error.code == .notFound { continue }
                throw error
            }
        }
        throw QueueingError(.empty, "queue \(queue) has no queued dag-run")
    }

    /// The queued runs of `queue` in dispatch order (claimed ones first, then open ones FIFO),
    /// skipping items whose run is missing or no longer `queued`.
    public func queuedRuns(of queue: String) throws(QueueingError) -> [RunSnapshot] {
        let state: QueueState
        do {
            state = try queues.state(of: queue)
        } catch {
            throw QueueingError(.store(error.code), "cannot read queue \(queue): \(error)")
        }
        return (state.claimed + state.open).compactMap { item in
            guard let snapshot = try? reader.latestSnapshot(of: item.run), snapshot.status == .queued else { return nil }
            return snapshot
        }
    }

    // MARK: - Helpers

    private func snapshot(of run: RunRef) throws(QueueingError) -> RunSnapshot {
        do {
            guard let snapshot = try reader.latestSnapshot(of: run) else {
                throw QueueingError(.notFound, "dag-run ID \(run.id) not found for DAG \(run.name)")
            }
            return snapshot
        } catch let error as QueueingError {
            throw error
        } catch let error as StoreError {
            throw QueueingError(.store(error.code), "cannot read dag-run \(run.id) of DAG \(run.name): \(error)")
        } catch {
            throw QueueingError(.store(.io), "\(error)")
        }
    }

    private func dequeue(_ run: RunRef, queue: String) throws(QueueingError) -> RunSnapshot {
        do {
            return try queues.update(queue) { state in
                if let item = state.item(run), item.phase != .open {
                    throw QueueingError(.dispatching,
                                        "dag-run \(run.id) of DAG \(run.name) is being dispatched and cannot be dequeued; stop it instead")
                }
                // Re-read under the queue's lock: the status may have changed since.
                let current = try snapshot(of: run)
                guard current.status == .queued else {
                    throw QueueingError(.notQueued(current.status), Self.notQueuedMessage(current.status))
                }
                let time = now()
                var aborted = current
                aborted.status = .aborted
                aborted.error = "dequeued"
                aborted.finishedAt = time
                try writer.append(aborted, durability: .synced)
                return ([QueueRecord(.dequeue, run, at: time)], aborted)
            }
        } catch let error as QueueingError {
            throw error
        } catch let error as StoreError {
            throw QueueingError(.store(error.code), "cannot dequeue dag-run \(run.id) of DAG \(run.name): \(error)")
        } catch {
            throw QueueingError(.store(.io), "cannot dequeue dag-run \(run.id) of DAG \(run.name): \(error)")
        }
    }
}
