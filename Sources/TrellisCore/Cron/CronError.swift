import Foundation

/// A problem found while parsing a cron expression.
///
/// The message names the field and the offending value, for example
/// `minute 61 out of range 0-59`, so it can be shown to the user as is.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A human-readable explanation of what is wrong with the expression.
    public let message: String

    /// Creates an error with the given message.
    init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
