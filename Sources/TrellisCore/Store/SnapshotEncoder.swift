import Foundation

/// Encodes run snapshots to one JSON line quickly, for the hot path of the run agent.
///
/// A snapshot is appended at every state change and holds every node, so encoding cost would
/// grow with steps × changes. This encoder writes the bytes by hand (no `JSONEncoder`, no date
/// formatter) and caches each node's encoded bytes: a node that did not change since the
/// previous snapshot is copied, not encoded again. The output is the same JSON that
/// `JSONDecoder` reads back into an equal ``RunSnapshot`` (dates as ``Timestamps/rfc3339(_:)``).
///
/// Not `Sendable`: one encoder per run, used under the writer's lock.
public final class SnapshotEncoder {
    private var nodeCache: [String: (record: NodeRecord, bytes: [UInt8])] = [:]

    public init() {}

    /// The snapshot as JSON followed by a newline.
    public func line(_ snapshot: RunSnapshot) -> [UInt8] {
        var out = JSONBytes()
        out.reserve(256 + snapshot.nodes.count * 200)
        out.raw("{")
        out.key("attemptId", first: true); out.string(snapshot.attemptId)
        out.key("createdAt"); out.date(snapshot.createdAt)
        if let value = snapshot.error { out.key("error"); out.string(value) }
        if let value = snapshot.finishedAt { out.key("finishedAt"); out.date(value) }
        out.key("handlers"); out.raw("{")
        for (index, key) in snapshot.handlers.keys.sorted().enumerated() {
            if index > 0 { out.raw(",") }
            out.string(key); out.raw(":")
            if let node = snapshot.handlers[key] { out.bytes(nodeBytes(node)) }
        }
        out.raw("}")
        out.key("labels"); out.strings(snapshot.labels)
        out.key("log"); out.string(snapshot.log)
        out.key("nodes"); out.raw("[")
        for (index, node) in snapshot.nodes.enumerated() {
            if index > 0 { out.raw(",") }
            out.bytes(nodeBytes(node))
        }
        out.raw("]")
        out.key("params"); out.string(snapshot.params)
        out.key("paramsList"); out.strings(snapshot.paramsList)
        if let value = snapshot.parent { out.key("parent"); out.runRef(value) }
        if let value = snapshot.pid { out.key("pid"); out.int(Int(value)) }
        out.key("preconditions"); out.raw("[")
        for (index, condition) in snapshot.preconditions.enumerated() {
            if index > 0 { out.raw(",") }
            out.condition(condition)
        }
        out.raw("]")
        out.key("queue"); out.string(snapshot.queue)
        if let value = snapshot.queuedAt { out.key("queuedAt"); out.date(value) }
        out.key("root"); out.runRef(snapshot.root)
        out.key("run"); out.runRef(snapshot.run)
        if let value = snapshot.scheduleTime { out.key("scheduleTime"); out.date(value) }
        if let value = snapshot.sid { out.key("sid"); out.int(Int(value)) }
        if let value = snapshot.startedAt { out.key("startedAt"); out.date(value) }
        out.key("status"); out.int(snapshot.status.rawValue)
        out.key("triggerType"); out.int(snapshot.triggerType.rawValue)
        out.raw("}\n")
        return out.buffer
    }

    private func nodeBytes(_ node: NodeRecord) -> [UInt8] {
        if let cached = nodeCache[node.name], cached.record == node { return cached.bytes }
        var out = JSONBytes()
        out.raw("{")
        out.key("doneCount", first: true); out.int(node.doneCount)
        if let value = node.error { out.key("error"); out.string(value) }
        if let value = node.exitCode { out.key("exitCode"); out.int(value) }
        if let value = node.finishedAt { out.key("finishedAt"); out.date(value) }
        out.key("name"); out.string(node.name)
        out.key("outputMatched"); out.raw(node.outputMatched ? "true" : "false")
        if let value = node.outputName { out.key("outputName"); out.string(value) }
        if let value = node.outputValue { out.key("outputValue"); out.string(value) }
        if let value = node.pgid { out.key("pgid"); out.int(Int(value)) }
        if let value = node.retriedAt { out.key("retriedAt"); out.date(value) }
        out.key("retryCount"); out.int(node.retryCount)
        if let value = node.startedAt { out.key("startedAt"); out.date(value) }
        out.key("status"); out.int(node.status.rawValue)
        if let value = node.stderr { out.key("stderr"); out.string(value) }
        if let value = node.stdout { out.key("stdout"); out.string(value) }
        out.key("subRuns"); out.raw("[")
        for (index, sub) in node.subRuns.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{"); out.key("dagName", first: true); out.string(sub.dagName)
            out.key("dagRunId"); out.string(sub.dagRunId)
            if let params = sub.params { out.key("params"); out.string(params) }
            out.key("status"); out.int(sub.status.rawValue); out.raw("}")
        }
        out.raw("]}")
        nodeCache[node.name] = (node, out.buffer)
        return out.buffer
    }
}

/// A byte buffer with the few JSON writers the snapshot needs.
struct JSONBytes {
    var buffer: [UInt8] = []

    mutating func reserve(_ count: Int) { buffer.reserveCapacity(count) }
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }
    mutating func bytes(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { buffer.append(UInt8(ascii: ",")) }
        buffer.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func int(_ value: Int) { buffer.append(contentsOf: String(value).utf8) }

    mutating func string(_ value: String) {
        buffer.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [92, 92])
            case 0x0A: buffer.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: buffer.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: buffer.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    mutating func strings(_ values: [String]) {
        buffer.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            string(value)
        }
        buffer.append(UInt8(ascii: "]"))
    }

    mutating func runRef(_ ref: RunRef) {
        raw("{"); key("id", first: true); string(ref.id); key("name"); string(ref.name); raw("}")
    }

    mutating func condition(_ condition: ConditionRecord) {
        raw("{"); key("condition", first: true); string(condition.condition)
        if let value = condition.error { key("error"); string(value) }
        if let value = condition.expected { key("expected"); string(value) }
        if let value = condition.matched { key("matched"); raw(value ? "true" : "false") }
        if let value = condition.negate { key("negate"); raw(value ? "true" : "false") }
        raw("}")
    }

    /// `"2026-11-29T03:24:35.863Z"`, the same text as ``Timestamps/rfc3339(_:)``.
    mutating func date(_ date: Date) {
        buffer.append(UInt8(ascii: "\""))
        buffer.append(contentsOf: FastTimestamp.utcMillis(date).utf8)
        buffer.append(UInt8(ascii: "\""))
    }
}

/// UTC RFC 3339 with milliseconds without a formatter (``CivilDate`` arithmetic).
enum FastTimestamp {
    static func utcMillis(_ date: Date) -> String {
        // Nearest millisecond: a parsed ".863" (stored as 0.86299…) formats back to ".863".
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let millis = Int(((totalMillis % 1000) + 1000) % 1000)
        let seconds = (totalMillis - Int64(millis)) / 1000
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let civil = CivilDate.date(days: Int(days))
        let (year, month, day) = (Int64(civil.year), Int64(civil.month), Int64(civil.day))
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(Int64(millis), 3))Z"
    }
}
