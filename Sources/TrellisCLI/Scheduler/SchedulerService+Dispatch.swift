import Foundation
import Logging
import TrellisCore
import TrellisStore

extension SchedulerService {
    /// How many index entries per DAG the guards look at for active runs.
    static let guardWindow = 100

    enum DispatchOutcome: Sendable {
        case started(RunRef)
        case enqueued(RunRef)
        case failed(String)
    }

    /// The planner's view of each scheduled DAG's runs (§15.2 step 3). Running entries are
    /// checked for death first (§16.2), so a crashed agent neither blocks nor counts.
    func latestRuns(for entries: [CatalogEntry]) -> [String: LatestRunInfo] {
        var result: [String: LatestRunInfo] = [:]
        for entry in entries {
            guard entry.isValid, let dag = entry.load.dag, result[dag.name] == nil,
                  !(dag.schedule.start.isEmpty && dag.schedule.stop.isEmpty) else { continue }
            let page: RunPage
            do {
                page = try runs.runs(dagName: dag.name, limit: Self.guardWindow, cursor: nil)
            } catch {
                logger.error("cannot list runs", metadata: ["dag.name": "\(dag.name)", "error": "\(error)"])
                continue
            }
            var active = false
            var latest: RunSnapshot?
            for (index, item) in page.entries.enumerated() {
                var status = item.status
                var snapshot: RunSnapshot?
                if status == .running || status == .notStarted || index == 0 {
                    snapshot = (try? repairer?.repairIfDead(item.run)) ?? nil
                    if snapshot == nil { snapshot = (try? runs.latestSnapshot(of: item.run)) ?? nil }
                    status = snapshot?.status ?? status
                }
                if index == 0 { latest = snapshot }
                if status == .running || status == .queued || status == .notStarted { active = true }
            }
            guard let first = page.entries.first else { continue }
            result[dag.name] = LatestRunInfo(status: latest?.status ?? first.status, scheduleTime: latest?.scheduleTime,
                                             startedAt: latest?.startedAt ?? first.startedAt,
                                             finishedAt: latest?.finishedAt ?? first.finishedAt, active: active)
        }
        return result
    }

    /// Starts or enqueues one planned run with trigger `scheduler` and its slot.
    func dispatch(_ start: PlannedStart, entries: [CatalogEntry]) async -> DispatchOutcome {
        let slot = ScheduleTimeText.format(start.scheduleTime)
        var metadata: Logger.Metadata = ["dag.name": "\(start.dagName)", "schedule.time": "\(slot)"]
        guard let entry = entries.first(where: { $0.fileName == start.fileName }), let dag = entry.load.dag else {
            logger.error("scheduled DAG vanished before dispatch", metadata: metadata)
            return .failed("DAG file \(start.fileName) is gone")
        }
        let run = RunRef(name: start.dagName, id: start.runID ?? RunIDGenerator.uuidV7(now: now()))
        metadata["run.id"] = "\(run.id)"
        if start.runID != nil, (try? runs.header(of: run)) ?? nil != nil {
            // A deterministic one-off ID already used: a second attempt is a no-op (§15.4).
            logger.info("scheduled run already exists; not started again", metadata: metadata)
            return .failed("run \(run.id) already exists")
        }
        switch start.action {
        case .start:
            let request = StartRequest(dagFile: entry.path, runID: run.id, triggerType: .scheduler,
                                       scheduleTime: start.scheduleTime)
            do {
                let snapshot = try await control.start(request, dagName: start.dagName)
                metadata["run.status"] = "\(snapshot.status.label)"
                logger.info("scheduled run started", metadata: metadata)
                return .started(run)
            } catch {
                metadata["error"] = "\(error)"
                logger.error("cannot start the scheduled run", metadata: metadata)
                return .failed("\(error)")
            }
        case .enqueue(let queue):
            metadata["queue"] = "\(queue)"
            guard case .success(let params) = ParamResolver.resolve(dag.params, overrides: .none) else {
                logger.error("cannot resolve the default params of the scheduled run", metadata: metadata)
                return .failed("default params do not resolve")
            }
            let request = EnqueueRequest(dag: dag, spec: entry.text, runID: run.id, params: params, queue: queue,
                                         sourceFileName: entry.fileName, triggerType: .scheduler,
                                         scheduleTime: start.scheduleTime)
            do {
                _ = try queueing.enqueue(request)
                logger.info("scheduled run enqueued", metadata: metadata)
                return .enqueued(run)
            } catch {
                metadata["error"] = "\(error.message)"
                logger.error("cannot enqueue the scheduled run", metadata: metadata)
                return .failed(error.message)
            }
        }
    }

    /// A due stop schedule (§15.1): stop every running run of the DAG.
    func stopRunning(_ dagName: String) -> [RunRef] {
        guard let page = try? runs.runs(dagName: dagName, limit: Self.guardWindow, cursor: nil) else { return [] }
        var stopped: [RunRef] = []
        // The run's own status decides: an agent records `running` in the run before the index
        // line that says so, so a run that has just started may still be listed as not started.
        for item in page.entries where !item.status.hasEnded {
            guard let snapshot = (try? runs.latestSnapshot(of: item.run)) ?? nil, snapshot.status == .running else { continue }
            let metadata: Logger.Metadata = ["dag.name": "\(dagName)", "run.id": "\(item.runId)"]
            do {
                try control.requestStop(item.run, agentPID: snapshot.pid)
                logger.info("stop schedule stopped a run", metadata: metadata)
                stopped.append(item.run)
            } catch {
                logger.error("cannot stop the run", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
        }
        return stopped
    }
}
