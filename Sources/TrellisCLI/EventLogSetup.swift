import Foundation
import Logging
import TrellisCore
import TrellisStore

/// Composes the event log (API §8) for a process: which component writes, and whether at all.
enum EventLogSetup {
    /// The recorder a run store writes events with, or `nil` when `events.enabled` is false.
    static func recorder(enabled: Bool, dataDirectory: String, source: EventSource, logger: Logger) -> EventRecorder? {
        guard enabled else { return nil }
        return EventRecorder(log: FileEventLog(dataDirectory: dataDirectory, logger: logger), source: source)
    }

    /// `events` of the configuration a CLI command sees: the config file of `--home` (or
    /// `TRELLIS_CONFIG`) and `TRELLIS_EVENTS_ENABLED`; the defaults when it cannot be read (the
    /// command itself does not depend on the rest of the configuration).
    static func cliSettings(home: String?, environment: [String: String]) -> EventsConfig {
        let (text, path) = (try? CLIConfig.file(flag: nil, home: home, environment: environment)) ?? (nil, nil)
        switch ConfigLoader.load(fileText: text, filePath: path, environment: environment,
                                 overrides: ConfigOverrides(home: home),
                                 currentDirectory: FileManager.default.currentDirectoryPath) {
        case .success(let config): return config.events
        case .failure:
            var events = EventsConfig()
            if let value = environment["TRELLIS_EVENTS_ENABLED"]?.lowercased() {
                events.enabled = !["false", "0", "no", "off"].contains(value)
            }
            return events
        }
    }

    /// Deletes expired event day files now and then once a day until cancelled (format §17.3).
    static func retentionLoop(dataDirectory: String, retentionDays: Int, logger: Logger,
                              now: @escaping @Sendable () -> Date = { Date() }) async {
        let log = FileEventLog(dataDirectory: dataDirectory, logger: logger)
        while !Task.isCancelled {
            do {
                let removed = try log.removeExpired(retentionDays: retentionDays, now: now())
                if !removed.isEmpty {
                    logger.info("removed expired event files", metadata: ["days": "\(removed.joined(separator: ","))"])
                }
            } catch {
                logger.warning("cannot remove expired event files", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(86_400))
        }
    }
}
