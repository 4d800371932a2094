/// Why a JSON text was rejected, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. `unexpected character "x"` or `unterminated string`.
    public let message: String
    /// The 0-based offset in UTF-8 bytes of the first offending byte (the input length when the
    /// text ended too early).
    public let offset: Int

    /// Creates an error.
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `<message> at offset <offset>`.
    public var description: String {
        "\(message) at offset \(offset)"
    }
}
