import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TrellisAPI
import TrellisCatalog
import TrellisCore
import TrellisMetrics
import TrellisStore
import TrellisWatcher

/// `trellis server`: the REST API only (DAG-FORMAT §19), over the watched DAGs directory.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Serve the REST API (Dagu API v1) over the DAGs directory and run history.",
        discussion: """
        Settings come from flags, TRELLIS_* environment variables and trellis.yaml (DAG-FORMAT \
        §18). Runs started through the API are executed by detached run agents, so they survive \
        a restart of the server. SIGTERM or Ctrl-C stops the server gracefully.
        """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var server: ServerOptions

    func run() async throws {
        do {
            let setup = try ServerSetup(global: global, configFile: server.configFile, host: server.host, port: server.port)
            try await setup.serve()
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }
}

/// The composition of `trellis server`: config, store, catalog + watcher, API.
struct ServerSetup {
    let config: TrellisConfig
    let logger: Logger
    let portOverride: Int?

    init(global: GlobalOptions, configFile: String?, host: String?, port: Int?) throws {
        // Port 0 ("any free port") is for tests and scripts; the config itself keeps 1–65535.
        config = try CLIConfig.load(global: global, configFile: configFile, overrides: ConfigOverrides(
            home: global.home, host: host, port: port == 0 ? nil : port, dagsDir: global.dagsDir, dataDir: global.dataDir))
        var logger = Logger(label: "trellis.server")
        logger.logLevel = Logger.Level(rawValue: config.logLevel.rawValue) ?? .info
        self.logger = logger
        portOverride = port
        for warning in config.warnings { logger.warning("\(warning.description)") }
    }

    /// What one process runs over the shared catalog and watcher.
    struct Components: OptionSet {
        let rawValue: Int
        /// The REST API (`server`).
        static let api = Components(rawValue: 1)
        /// Cron ticks, queue dispatch, dead-run sweep (`scheduler`).
        static let scheduler = Components(rawValue: 2)
    }

    /// `server` serves `.api`, `scheduler` runs `.scheduler`, `start-all` both, over one
    /// catalog and one watcher (and a run store per component). Expired event files are
    /// removed at start and daily.
    func serve(_ components: Components = .api) async throws {
        HeapTrimService.configureAllocator()
        let fileManager = FileManager.default
        try? fileManager.createDirectory(atPath: config.dagsDir, withIntermediateDirectories: true)
        try? fileManager.createDirectory(atPath: config.dataDir, withIntermediateDirectories: true)
        // One store per component, so each event names the component that persisted it (API §8.2).
        let apiStore = makeStore(source: components.contains(.api) ? .server : .scheduler)
        let schedulerStore = components.contains([.api, .scheduler]) ? makeStore(source: .scheduler) : apiStore
        let catalog = FileDAGCatalog(dagsDirectory: config.dagsDir,
                                     suspendDirectory: (config.dataDir as NSString).appendingPathComponent("suspend"), logger: logger)
        let watcher: DirectoryWatcher
        do {
            watcher = try DirectoryWatcher(directory: config.dagsDir, logger: logger, shouldWatch: DAGFileNames.isDAGFileName)
        } catch {
            throw CLIFailure(1, "cannot watch \(config.dagsDir): \(error)")
        }
        // Scan after the watch is in place, so no change falls between the two.
        do {
            try catalog.rescan()
        } catch {
            logger.error("cannot scan the DAGs directory", metadata: ["error": "\(error)"])
        }
        let zone = config.tz.flatMap(TimeZone.init(identifier:)) ?? .current
        let queueStore = FileQueueStore(dataDirectory: config.dataDir, logger: logger)
        let api = components.contains(.api)
            ? apiService(store: apiStore, catalog: catalog, control: control(apiStore), queueing: queueing(apiStore, queueStore),
                         zone: zone) : nil
        // Under leadership only: the tick loop, the queue dispatcher (§14.3) and the dead-run sweep (§16.2).
        let scheduler: SchedulerService?
        if components.contains(.scheduler) {
            let control = control(schedulerStore)
            let dispatcher = QueueDispatcher(store: schedulerStore, queues: queueStore, catalog: catalog, globalQueues: config.queues,
                                             starter: control, logger: logger)
            let sweeper = DeadRunSweeper(store: schedulerStore, queues: queueStore, logger: logger)
            scheduler = SchedulerService(
                catalog: catalog, runs: schedulerStore, repairer: DeadRunRepairer(store: schedulerStore), control: control,
                queueing: queueing(schedulerStore, queueStore), stateFile: SchedulerStateFile(dataDirectory: config.dataDir),
                lock: SchedulerLock(dataDirectory: config.dataDir), globalQueues: config.queues, zone: zone,
                logger: logger, onLeader: { StandardStreams.line("trellis scheduler is the leader") },
                leaderServices: [{ try await dispatcher.run() }, { try await sweeper.run() }])
        } else {
            scheduler = nil
        }
        // One service group: started in this order, shut down in reverse on SIGTERM or SIGINT
        // (the API stops taking requests first, then the scheduler lets go of its lock, then
        // the watcher stops). Any service ending ends the group.
        var services: [any Service] = [CatalogWatchService(watcher: watcher, catalog: catalog), HeapTrimService()]
        if config.events.enabled {
            services.append(EventRetentionService(dataDirectory: config.dataDir, retentionDays: config.events.retentionDays,
                                                  logger: logger))
        }
        if let scheduler { services.append(SchedulerLifecycleService(scheduler: scheduler)) }
        if let api { services.append(api) }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    /// A run store whose lifecycle events name `source`.
    private func makeStore(source: EventSource) -> FileRunStore {
        FileRunStore(dataDirectory: config.dataDir, logger: logger,
                     events: EventLogSetup.recorder(enabled: config.events.enabled, dataDirectory: config.dataDir,
                                                    source: source, logger: logger))
    }

    /// Detached run agents over `store`; they get `events.enabled` through the environment, and
    /// never the API's credentials (their steps must not see them).
    private func control(_ store: FileRunStore) -> DetachedRunControl {
        var environment = ProcessInfo.processInfo.environment.filter { !HostEnvironmentFilter.isSecret($0.key) }
        environment["TRELLIS_EVENTS_ENABLED"] = config.events.enabled ? "true" : "false"
        return DetachedRunControl(
            executable: Executable.path,
            globalArguments: ["--home", config.home, "--dags", config.dagsDir, "--data", config.dataDir],
            store: store, environment: environment.map { ($0.key, $0.value) },
            logDirectory: (config.dataDir as NSString).appendingPathComponent("logs"))
    }

    private func queueing(_ store: FileRunStore, _ queues: FileQueueStore) -> RunQueueing {
        RunQueueing(reader: store, writer: store, queues: queues, globalQueues: config.queues)
    }

    /// The REST API: the Hummingbird application, itself a service.
    private func apiService(store: FileRunStore, catalog: FileDAGCatalog, control: DetachedRunControl,
                            queueing: RunQueueing, zone: TimeZone) -> any Service {
        var environment = APIEnvironment(catalog: catalog, runs: store, locking: store,
                                         repairer: DeadRunRepairer(store: store), control: control, files: catalog)
        environment.queueing = queueing
        environment.docs = FileDocumentLibrary(directory: config.docsDir, logger: logger)
        let startedAt = environment.startedAt
        environment.metrics = PrometheusExporter(
            sources: .init(runs: FileRunMetricsSampler(store: store, queues: queueing.queues, now: startedAt),
                           catalog: catalog),
            version: TrellisVersion.current, startedAt: startedAt)
        if config.events.enabled {
            let reader = FileEventReader(log: FileEventLog(dataDirectory: config.dataDir, logger: logger))
            environment.events = reader
            // Index the day files in the background, so the first request does not pay for it.
            Task.detached(priority: .background) { _ = try? reader.page(EventQuery(limit: 1)) }
        }
        let auth = config.auth
        let settings = APIServerSettings(
            host: config.host, port: portOverride ?? config.port, mountPath: config.mountPath,
            authenticator: Authenticator(mode: Authenticator.Mode(rawValue: auth.mode.rawValue) ?? .none,
                                         username: auth.basicUsername, password: auth.basicPassword, tokens: auth.tokens),
            publicMetrics: config.metrics == .public, timeZone: zone, version: TrellisVersion.current,
            inlineSpecDirectory: (config.dataDir as NSString).appendingPathComponent("inline"),
            idleTimeout: config.idleTimeoutSec > 0 ? .seconds(config.idleTimeoutSec) : nil)
        let host = config.host
        let application = APIServer(settings: settings, environment: environment, logger: logger)
            .application(onServerRunning: { port in
                StandardStreams.line("trellis server listening on \(host):\(port)")
            })
        return application
    }
}
