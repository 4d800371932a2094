import Foundation
import Testing
import TrellisCore

extension OpenAPIDocumentTests {
    /// Every `$ref` string in `value`.
    static func collectRefs(_ value: JSONValue, into refs: inout [String]) {
        switch value {
        case .object(let object):
            for (key, member) in object.entries {
                if key == "$ref", let ref = member.stringValue { refs.append(ref) } else { collectRefs(member, into: &refs) }
            }
        case .array(let items):
            for item in items { collectRefs(item, into: &refs) }
        default:
            break
        }
    }

    /// The target of a local reference (`#/components/schemas/DAG`), or nil.
    static func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var current: JSONValue? = document
        for token in ref.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            current = current?[key]
        }
        return current
    }

    static func schema(_ name: String) -> JSONValue? {
        document["components"]?["schemas"]?[name]
    }

    static func required(_ name: String) -> Set<String> {
        Set(schema(name)?["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    static func properties(_ name: String) -> Set<String> {
        Set(schema(name)?["properties"]?.objectValue?.keys ?? [])
    }
}

/// Runs `python3` for the checks that use a real validator.
enum Python {
    struct Result {
        var status: Int32
        var output: String
    }

    static func run(_ arguments: [String]) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            return Result(status: -1, output: "\(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// `openapi-spec-validator` is installed (`python3 -m pip install openapi-spec-validator`;
    /// .ci/run installs it). Without it the validator tests are skipped.
    static let hasSpecValidator: Bool = run(["-c", "import openapi_spec_validator, openapi_schema_validator"]).status == 0

    /// Runs `body` with a new temporary directory, removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    /// Writes `text` to `name` in `directory` and returns its path.
    static func write(_ text: String, to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
