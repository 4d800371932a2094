/// An optional value kept on the heap: the holder stores one pointer (none when `nil`) instead
/// of the value's full size. For large, rarely set parts of values that are copied and stored
/// in bulk. Value semantics: the box is never mutated in place.
public struct OutOfLine<Value: Sendable & Hashable>: Sendable, Hashable {
    private final class Box: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box?

    public init(_ value: Value? = nil) {
        box = value.map(Box.init)
    }

    public var value: Value? {
        get { box?.value }
        set { box = newValue.map(Box.init) }
    }

    /// One part of the value, read in place (without copying the whole value out of its box).
    public subscript<Part>(part: KeyPath<Value, Part>) -> Part? {
        box?.value[keyPath: part]
    }

    public static func == (lhs: OutOfLine, rhs: OutOfLine) -> Bool {
        switch (lhs.box, rhs.box) {
        case (nil, nil): true
        case let (left?, right?): left === right || left.value == right.value
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box?.value)
    }
}
