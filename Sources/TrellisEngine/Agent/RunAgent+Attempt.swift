import Foundation
import TrellisCore

extension RunAgent {
    /// Picks the attempt (the created one, or a new one for a retry), writes the first
    /// `running` snapshot (synced: the start call waits for it) and builds the scope.
    func prepareAttempt() async throws {
        let run = request.header.run
        let now = deps.now()
        // A stop that came while the run was queued or being dispatched (the cancel request is
        // written before this agent took over) stops it before any step starts. A retry of a
        // finished run starts clean: an old request belongs to an earlier attempt.
        let cancelRequested = { FileManager.default.fileExists(atPath: self.deps.files.paths(of: run, attemptId: "").cancelRequest) }
        let stoppedBeforeStart: Bool
        if let previous = request.retryOf {
            stoppedBeforeStart = previous.status == .queued && cancelRequested()
            let planner = RetryResetPlanner(steps: request.dag.steps)
            let states = previous.nodes.map(\.state)
            let reset = try request.retryStep.map { try planner.reset(previous: states, step: $0) } ?? planner.reset(previous: states)
            var initial = previous
            initial.nodes = request.dag.steps.map { step in
                var record = previous.nodes.first { $0.name == step.name } ?? NodeRecord(name: step.name)
                if reset.reset.contains(step.name) || previous.nodes.first(where: { $0.name == step.name }) == nil {
                    record = NodeRecord(name: step.name)
                }
                return record
            }
            initial.handlers = [:]
            // Kept nodes keep their outputs: steps that run again still see them (§13.1).
            for record in initial.nodes where record.status != .notStarted {
                if let name = record.outputName, let value = record.outputValue { setOutput(name, value, node: record.name) }
            }
            initial.triggerType = .retry
            initial.error = nil
            initial.finishedAt = nil
            snapshot = try deps.writer.startAttempt(initial)
        } else {
            guard let created = try request.created ?? deps.reader.latestSnapshot(of: run) else {
                throw RunAgentError("run \(run) has no stored state")
            }
            snapshot = created
            stoppedBeforeStart = (created.status == .queued || created.status == .notStarted) && cancelRequested()
            if snapshot.nodes.isEmpty { snapshot.nodes = request.dag.steps.map { NodeRecord(name: $0.name) } }
        }
        // A cancel request is never removed here: a new or queued run has no stale one (a
        // retry's new attempt cleared the old one), and one written now must not be lost.
        paths = deps.files.paths(of: run, attemptId: snapshot.attemptId)
        try FileManager.default.createDirectory(atPath: paths.workDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: paths.stepLogDirectory, withIntermediateDirectories: true)
        snapshot.status = .running
        snapshot.startedAt = now
        snapshot.finishedAt = nil
        snapshot.pid = getpid()
        snapshot.sid = getsid(0)
        snapshot.log = paths.runLog
        snapshot.preconditions = request.dag.preconditions.map(ConditionRecord.init)
        logLine("attempt \(snapshot.attemptId) of \(run) started (pid \(getpid()))")
        if stoppedBeforeStart {
            logLine("a stop was requested before the run started")
            requestStop()
        }
        record(.synced)
    }

    /// §12.1 steps 2–4.
    func execute() async {
        var cancelledBeforeSteps = false
        do {
            let built = try await RunScopeBuilder(request: request, paths: paths, runner: { scope, cwd in
                self.substitutionRunner(scope: scope, workingDirectory: cwd)
            }).build()
            scope = built.scope
            workingDirectory = built.workingDirectory
            try FileManager.default.createDirectory(atPath: workingDirectory, withIntermediateDirectories: true)
        } catch {
            runErrors.append("cannot prepare the run: \(error)")
            logLine("cannot prepare the run: \(error)")
            await finish(cancelled: false)
            return
        }
        let timeoutTask = startDAGTimeout()
        defer { timeoutTask?.cancel() }
        let cancelWatcher = startCancelFileWatcher()
        defer { cancelWatcher.cancel() }
        if !(await dagPreconditionsHold()) {
            cancelledBeforeSteps = true
        } else if let initHandler = request.dag.handlerOn.initialize {
            await runNode(initHandler.name, isHandler: true)
            if node(initHandler.name).status != .succeeded && node(initHandler.name).status != .skipped {
                cancelledBeforeSteps = true
                logLine("init handler failed; the run is aborted")
            }
        }
        if !cancelledBeforeSteps {
            await runSteps()
        }
        if stopFlag.withLock({ $0 }) { stopRequested = true }
        await finish(cancelled: cancelledBeforeSteps || stopRequested)
    }

    /// The scheduling loop: start ready nodes, wait for one to finish or for a stop/timeout.
    func runSteps() async {
        var iterator = events.makeAsyncIterator()
        if stopFlag.withLock({ $0 }) {
            await stopRunningNodes(reason: "stop requested")
        }
        var inFlight = Set<String>()
        // Readiness only decides for nodes that have not started: once every node has, a
        // finishing node changes nothing (a fan-out of n would otherwise plan n times over n).
        // Nothing returns to `notStarted` during an attempt, so the scan stops once it fails.
        var someNotStarted = true
        while true {
            if someNotStarted {
                someNotStarted = snapshot.nodes.contains { $0.status == .notStarted }
            }
            let plan = someNotStarted
                ? planner.plan(states: snapshot.nodes.map { $0.state }, maxActiveSteps: request.dag.maxActiveSteps,
                               cancelled: stopRequested || dagTimedOut)
                : ReadinessPlan(changes: [], ready: [], toStart: [])
            if !plan.changes.isEmpty {
                for change in plan.changes {
                    var record = node(change.name)
                    record.status = change.status
                    record.error = change.error
                    store(record)
                }
                record()
            }
            for name in plan.toStart where !inFlight.contains(name) {
                var record = node(name)
                record.status = .running
                record.startedAt = deps.now()
                store(record)
                inFlight.insert(name)
                Task { [weak self] in
                    await self?.runNode(name, isHandler: false)
                    self?.eventSink.yield(.nodeFinished(name))
                }
                if request.dag.delaySec > 0 {
                    try? await Task.sleep(for: .seconds(request.dag.delaySec))
                }
            }
            if inFlight.isEmpty { break }
            guard let event = await iterator.next() else { break }
            switch event {
            case .nodeFinished(let name): inFlight.remove(name)
            case .stop: await stopRunningNodes(reason: "stop requested")
            case .timeout: await timeOutRun()
            }
        }
    }

    /// Final status (§12.3), handlers (§9), outputs and the terminal snapshot.
    func finish(cancelled: Bool) async {
        let finalPlanner = FinalStatusPlanner(steps: request.dag.steps)
        var status = finalPlanner.status(nodes: snapshot.nodes.map { $0.state }, cancelled: cancelled, errors: runErrors)
        snapshot.error = runErrors.first
        let handlers = request.dag.handlerOn
        var toRun: [Step] = []
        switch status {
        case .succeeded, .partiallySucceeded: toRun += [handlers.success].compactMap { $0 }
        case .failed: toRun += [handlers.failure].compactMap { $0 }
        case .aborted: toRun += [handlers.abort].compactMap { $0 }
        default: break
        }
        toRun += [handlers.exit].compactMap { $0 }
        var handlerStates: [NodeState] = []
        for handler in toRun {
            // A handler that failed before this one already made the run failed (§9).
            let current = RunAgent.applyHandlers(handlerStates, to: status)
            scope = scope.adding(.builtins, [("DAG_RUN_STATUS", current.label)])
            await runNode(handler.name, isHandler: true)
            handlerStates.append(node(handler.name).state)
        }
        if let initState = snapshot.handlers["onInit"]?.state { handlerStates.append(initState) }
        let withHandlers = RunAgent.applyHandlers(handlerStates, to: status)
        if withHandlers != status, snapshot.error == nil {
            snapshot.error = "a handler failed"
        }
        status = withHandlers
        do {
            try deps.writer.writeOutputs(outputs.map { (OutputKeys.camelCase($0.name), $0.value) }, for: request.header.run)
        } catch {
            logLine("cannot write outputs: \(error)")
        }
        snapshot.status = status
        snapshot.finishedAt = deps.now()
        logLine("attempt \(snapshot.attemptId) finished: \(status.label)")
        record(.synced)
    }

    /// §9: a failing handler turns a successful run into `failed`; the init handler's failure
    /// already cancelled the run.
    static func applyHandlers(_ states: [NodeState], to status: RunStatus) -> RunStatus {
        FinalStatusPlanner.applyingHandlers(states.filter { $0.name != "onInit" }, to: status)
    }
}
