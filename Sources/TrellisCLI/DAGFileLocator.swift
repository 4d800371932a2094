import Foundation
import TrellisCore

/// Finds the file a `<dag>` argument means: a path to a YAML file, a file name in the DAGs
/// directory, or a DAG name declared by one of its files.
struct DAGFileLocator {
    let dagsDirectory: String

    struct NotFound: Error, CustomStringConvertible {
        let argument: String
        let directory: String
        var description: String {
            "no DAG \"\(argument)\": not a YAML file, and no file or DAG of that name in \(directory)"
        }
    }

    func locate(_ argument: String, currentDirectory: String) throws -> String {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        let asPath = PathResolution.resolve(argument, against: currentDirectory)
        if argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") {
            if manager.fileExists(atPath: asPath, isDirectory: &isDirectory), !isDirectory.boolValue { return asPath }
        }
        for suffix in [".yaml", ".yml"] {
            let candidate = (dagsDirectory as NSString).appendingPathComponent(argument + suffix)
            if manager.fileExists(atPath: candidate) { return candidate }
        }
        for file in yamlFiles() where declaredName(file) == argument {
            return file
        }
        throw NotFound(argument: argument, directory: dagsDirectory)
    }

    /// File stems and declared names of the DAGs directory, for `call:` warnings.
    func knownNames() -> Set<String> {
        var names = Set<String>()
        for file in yamlFiles() {
            names.insert(DAGLoader.stem(of: (file as NSString).lastPathComponent))
            if let name = declaredName(file) { names.insert(name) }
        }
        return names
    }

    private func yamlFiles() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: dagsDirectory)) ?? []
        return entries.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }
            .sorted()
            .map { (dagsDirectory as NSString).appendingPathComponent($0) }
    }

    /// The top-level `name:` of a file, read cheaply from its text.
    private func declaredName(_ path: String) -> String? {
        guard let text = FileBytes.text(path) else { return nil }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix("name:") {
            let value = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            return value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        return nil
    }
}
