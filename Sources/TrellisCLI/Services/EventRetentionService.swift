import Logging
import ServiceLifecycle

/// Removes event files older than `events.retention_days` at start and daily, until graceful
/// shutdown.
struct EventRetentionService: Service {
    let dataDirectory: String
    let retentionDays: Int
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await EventLogSetup.retentionLoop(dataDirectory: dataDirectory, retentionDays: retentionDays, logger: logger)
        }
    }
}
