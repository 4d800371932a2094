/// An optional value kept on the heap: the holder stores one pointer (none when `nil`) instead
/// of the value's full size. For large, rarely set parts of values that are copied and stored
/// in bulk. Value semantics: the box is never mutated in place.
public struct OutOfLine<Value: Sendable & Hashable>: Sendable, Hashable {
    private indirect enum Box: Sendable, Hashable {
        case value(Value)
    }

    private var box: Box?

    public init(_ value: Value? = nil) {
        box = value.map(Box.value)
    }

    public var value: Value? {
        get {
            guard case .value(let value)? = box else { return nil }
            return value
        }
        set { box = newValue.map(Box.value) }
    }
}
