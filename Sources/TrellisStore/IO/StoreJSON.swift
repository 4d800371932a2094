import Foundation
import TrellisCore

/// The stored JSON form: sorted keys, unescaped slashes, instants as RFC 3339 strings with
/// milliseconds (``Timestamps/rfc3339(_:)``), one record per line.
enum StoreJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamps.rfc3339(date))
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamps.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 instant: \(text)")
            }
            return date
        }
        return decoder
    }

    /// `value` as one JSON line ending with a newline.
    static func line<T: Encodable>(_ value: T, path: String) throws(StoreError) -> Data {
        do {
            var data = try encoder().encode(value)
            data.append(UInt8(ascii: "\n"))
            return data
        } catch {
            throw StoreError(.invalid, "cannot encode a record: \(error)", path: path)
        }
    }

    /// Decodes one line; `nil` when it is not a valid record.
    static func decodeLine<T: Decodable>(_ type: T.Type, _ data: Data, decoder: JSONDecoder = decoder()) -> T? {
        try? decoder.decode(type, from: data)
    }

    /// Decodes a whole file's content, reporting a corrupt file with its path.
    static func decodeFile<T: Decodable>(_ type: T.Type, _ data: Data, path: String) throws(StoreError) -> T {
        do {
            return try decoder().decode(type, from: data)
        } catch {
            throw StoreError(.corrupt, "cannot decode \(T.self): \(error)", path: path)
        }
    }
}

/// The status field of a snapshot line, decoded without the rest.
struct StatusField: Decodable {
    var status: RunStatus
}
