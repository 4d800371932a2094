import Foundation
import TrellisCore

/// `Schedule {kind: "cron" | "at", expression?, at?}` (API §9.1). Only start schedules are listed.
public enum ScheduleDTO {
    /// The start entries in order.
    public static func render(_ schedule: Schedule, zone: TimeZone) -> [JSONValue] {
        schedule.start.map { render($0, zone: zone) }
    }

    /// A cron entry shows its expression as written (with any `CRON_TZ=` prefix); a one-off
    /// shows its instant in the API zone.
    public static func render(_ entry: ScheduleEntry, zone: TimeZone) -> JSONValue {
        switch entry {
        case .cron(let cron):
            return ["kind": "cron", "expression": .string(cron.source)]
        case .at(let date, _):
            return ["kind": "at", "at": .string(APITime.format(date, in: zone))]
        }
    }
}
