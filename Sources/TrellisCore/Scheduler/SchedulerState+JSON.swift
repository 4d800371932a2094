import Foundation

extension SchedulerState {
    /// Why a state file could not be read.
    public struct DecodingProblem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The file's bytes: pretty-printed JSON with sorted keys and RFC 3339 UTC times
    /// (`2026-03-29T01:10:00Z`, with milliseconds when there are any).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timeText(date))
        }
        return try encoder.encode(self)
    }

    /// Reads a state file's bytes.
    ///
    /// - Throws: ``DecodingProblem`` for anything that is not a state of a known version.
    public static func decode(_ data: Data) throws -> SchedulerState {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Self.time(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text)")
            }
            return date
        }
        let state: SchedulerState
        do {
            state = try decoder.decode(SchedulerState.self, from: data)
        } catch {
            throw DecodingProblem(description: "scheduler state is not valid: \(error)")
        }
        guard state.version == currentVersion else {
            throw DecodingProblem(description: "scheduler state has version \(state.version), expected \(currentVersion)")
        }
        return state
    }

    /// The state in `data`, or a fresh state when there is no file or it is corrupt (§15.4).
    public static func decodedOrFresh(_ data: Data?) -> SchedulerState {
        guard let data, let state = try? decode(data) else { return SchedulerState() }
        return state
    }

    private static func timeText(_ date: Date) -> String {
        Timestamps.rfc3339OmittingZeroMillis(date)
    }

    private static func time(_ text: String) -> Date? {
        Timestamps.parse(text)
    }
}
