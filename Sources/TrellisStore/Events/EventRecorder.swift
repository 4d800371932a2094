import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// What a run store needs to write events: where, as whom, and the clock.
public struct EventRecorder: Sendable {
    public let log: any EventLog
    public let source: EventSource
    /// `<hostname>:<pid>`.
    public let instance: String
    let now: @Sendable () -> Date
    let token: @Sendable () -> String

    public init(log: any EventLog, source: EventSource, instance: String = EventRecorder.currentInstance,
                now: @escaping @Sendable () -> Date = { Date() }, token: @escaping @Sendable () -> String = { EventID.randomToken() }) {
        self.log = log
        self.source = source
        self.instance = instance
        self.now = now
        self.token = token
    }

    /// `<hostname>:<pid>` of this process.
    public static var currentInstance: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return "\(host):\(getpid())"
    }

    /// The event `snapshot` produces after a line with status `previous`, or `nil`.
    public func event(for snapshot: RunSnapshot, previous: RunStatus?) -> EventLogEntry? {
        EventPlanner.event(previous: previous, snapshot: snapshot,
                           context: EventContext(source: source, instance: instance, now: now(), updateToken: token()))
    }
}
