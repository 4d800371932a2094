import Foundation
import Testing
import TrellisCore

/// A `GET /metrics` body parsed by a real Prometheus text parser: `prometheus_client` (PyPI),
/// driven by `scripts/metrics/parse_metrics.py`. Parsing fails (never skips) when python3 or the
/// module is missing: `python3 -m pip install prometheus_client` (.ci/run installs it).
struct PrometheusScrape {
    struct Sample: Hashable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Family {
        var name: String
        var type: String
        var help: String
        var samples: [Sample]
    }

    /// Families by name as the parser names them (counters lose their `_total` suffix).
    let families: [String: Family]

    struct ParseFailure: Error, CustomStringConvertible {
        let description: String
    }

    static var script: URL {
        // Tests/TrellisCLITests/API/PrometheusScrape.swift → repository root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/metrics/parse_metrics.py")
    }

    init(parsing text: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("metrics.txt")
        let output = directory.appendingPathComponent("metrics.json")
        let errors = directory.appendingPathComponent("stderr.txt")
        try Data(text.utf8).write(to: input)
        FileManager.default.createFile(atPath: output.path, contents: nil)
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path]
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        do {
            try process.run()
        } catch {
            throw ParseFailure(description: "cannot run python3 (needed to parse /metrics with prometheus_client): \(error)")
        }
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw ParseFailure(description: """
                \(Self.script.lastPathComponent) exited \(process.terminationStatus): \(stderr) \
                (exit 3: run `python3 -m pip install prometheus_client`)
                """)
        }
        let json = try JSONValue.parse(String(decoding: try Data(contentsOf: output), as: UTF8.self))
        var families: [String: Family] = [:]
        for family in json["families"]?.arrayValue ?? [] {
            let samples = (family["samples"]?.arrayValue ?? []).map { sample in
                Sample(name: sample["name"]?.stringValue ?? "",
                       labels: (sample["labels"]?.objectValue?.entries ?? []).reduce(into: [:]) { $0[$1.0] = $1.1.stringValue ?? "" },
                       value: Self.number(sample["value"]))
            }
            let name = family["name"]?.stringValue ?? ""
            families[name] = Family(name: name, type: family["type"]?.stringValue ?? "", help: family["help"]?.stringValue ?? "",
                                    samples: samples)
        }
        self.families = families
    }

    private static func number(_ value: JSONValue?) -> Double {
        switch value?.stringValue {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: value?.doubleValue ?? .nan
        }
    }

    /// The family that holds samples named `sampleName`.
    func family(of sampleName: String) -> Family? {
        families.values.first { family in family.samples.contains { $0.name == sampleName } }
            ?? families[sampleName]
    }

    /// The type of the family of a sample name (`counter`, `gauge`, `histogram`).
    func type(of sampleName: String) -> String? { family(of: sampleName)?.type }

    /// The samples named `name` (any labels). The parser reports the samples of a counter whose
    /// name does not end in `_total` (`trellis_dag_runs_total_by_dag`) as `<name>_total`: those
    /// count under their exposed name too.
    func samples(_ name: String) -> [Sample] {
        families.values.flatMap { family in
            family.samples.filter { $0.name == name || (family.type == "counter" && family.name == name && $0.name == name + "_total") }
        }
    }

    /// The value of the sample with exactly these labels.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples(name).first { $0.labels == labels }?.value
    }

    /// A histogram series: its cumulative buckets (upper bound → count), `_count` and `_sum`.
    struct Histogram {
        var buckets: [(bound: Double, count: Double)]
        var count: Double
        var sum: Double
    }

    /// The series of histogram `name` with `labels` (without `le`); checks the Prometheus rules on
    /// the way: type `histogram`, ascending bounds ending at +Inf, non-decreasing cumulative counts,
    /// the +Inf bucket equal to `_count`.
    func histogram(_ name: String, _ labels: [String: String]) -> Histogram? {
        guard let family = families[name] else { return nil }
        #expect(family.type == "histogram", "\(name) is a \(family.type)")
        let buckets = family.samples.filter { $0.name == name + "_bucket" && $0.labels.filter { $0.key != "le" } == labels }
            .map { (bound: $0.labels["le"] == "+Inf" ? Double.infinity : Double($0.labels["le"] ?? "") ?? .nan, count: $0.value) }
        guard let count = value(name + "_count", labels), let sum = value(name + "_sum", labels) else { return nil }
        #expect(buckets.map(\.bound) == buckets.map(\.bound).sorted(), "\(name) buckets are in order")
        #expect(buckets.last?.bound == .infinity, "\(name) ends with +Inf")
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.count <= $1.count }, "\(name) buckets are cumulative")
        #expect(buckets.last?.count == count, "\(name) +Inf bucket equals _count")
        return Histogram(buckets: buckets, count: count, sum: sum)
    }
}
