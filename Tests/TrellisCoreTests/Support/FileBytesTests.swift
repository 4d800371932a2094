import Foundation
import Testing
import TrellisCore

@Suite("FileBytes: whole-file reads with open/read")
final class FileBytesTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "filebytes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = folder + "/" + name
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    @Test("an empty file, a small one and one larger than the first read all come back whole")
    func sizes() throws {
        #expect(FileBytes.read(write("empty", [])) == .success([]))
        #expect(FileBytes.read(write("small", Array("a\nb".utf8))) == .success(Array("a\nb".utf8)))
        let large = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(FileBytes.read(write("large", large)) == .success(large))
        #expect(FileBytes.text(write("bad-utf8", [0x61, 0xFF, 0x62])) == "a\u{FFFD}b")
    }

    @Test("a /proc file, whose size reads as 0, is read to its end")
    func procFile() throws {
        let text = try #require(FileBytes.text("/proc/self/status"))
        #expect(text.contains("VmRSS:"))
    }

    @Test("failures: missing file, too large, a link with noFollow, a folder with regularOnly")
    func failures() throws {
        #expect(FileBytes.read(folder + "/missing") == .failure(.system(errno: ENOENT)))
        let path = write("ten", Array(repeating: 0x41, count: 10))
        #expect(FileBytes.read(path, options: .init(maxBytes: 9)) == .failure(.tooLarge(limit: 9)))
        #expect(FileBytes.read(path, options: .init(maxBytes: 10)) == .success(Array(repeating: 0x41, count: 10)))
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: path)
        #expect(FileBytes.read(folder + "/link", options: .init(noFollow: true)) == .failure(.system(errno: ELOOP)))
        #expect(FileBytes.read(folder + "/link").map(\.count) == .success(10))
        #expect(FileBytes.read(folder, options: .init(regularOnly: true)) == .failure(.notRegularFile))
    }

    /// Foundation's whole-file reads leak 4 KiB per empty file on Linux (see ``FileBytes``); the
    /// server reads empty logs on every request, so none of them may come back into Sources.
    @Test("no source file reads a whole file through Foundation")
    func noFoundationWholeFileReads() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources").path
        let banned = ["contents(atPath:", "String(contentsOfFile:", "Data(contentsOf:", "String(contentsOf:"]
        var offenders: [String] = []
        let files = try FileManager.default.subpathsOfDirectory(atPath: sources).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 100)
        for file in files {
            let text = try #require(FileBytes.text(sources + "/" + file))
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                if banned.contains(where: { code.contains($0) }) { offenders.append("\(file):\(number + 1)") }
            }
        }
        #expect(offenders == [])
    }
}
