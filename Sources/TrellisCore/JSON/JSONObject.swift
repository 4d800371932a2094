/// A JSON object whose members keep their insertion (or document) order.
///
/// Two objects are equal when they hold the same members in the same order. Keys are unique:
/// setting an existing key replaces its value in place and keeps its position.
public struct JSONObject: Sendable, Hashable {
    /// The members, in order.
    public private(set) var entries: [(key: String, value: JSONValue)]

    /// An empty object.
    public init() {
        entries = []
    }

    /// An object with `entries` in order; a repeated key keeps its first position and its last
    /// value.
    public init(_ entries: [(String, JSONValue)]) {
        self.entries = []
        self.entries.reserveCapacity(entries.count)
        for (key, value) in entries {
            self[key] = value
        }
    }

    /// The keys, in order.
    public var keys: [String] { entries.map(\.key) }

    /// The values, in key order.
    public var values: [JSONValue] { entries.map(\.value) }

    /// The number of members.
    public var count: Int { entries.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value for `key`; assigning `nil` removes the member, assigning a value replaces it
    /// in place or appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            entries.first { $0.key == key }?.value
        }
        set {
            let index = entries.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?):
                entries[index].value = value
            case (let index?, nil):
                entries.remove(at: index)
            case (nil, let value?):
                entries.append((key: key, value: value))
            case (nil, nil):
                break
            }
        }
    }

    /// Appends a member without checking for an existing key; the parser uses it after its own
    /// duplicate check.
    mutating func appendUnchecked(key: String, value: JSONValue) {
        entries.append((key: key, value: value))
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (left, right) in zip(lhs.entries, rhs.entries) where left.key != right.key || left.value != right.value {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}
