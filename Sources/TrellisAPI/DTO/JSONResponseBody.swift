import Foundation
import TrellisCore

/// Response body bytes: compact UTF-8 JSON, keys in the order the renderers built them.
public enum JSONResponseBody {
    public static func data(_ value: JSONValue) -> Data {
        Data(value.serialized().utf8)
    }
}
