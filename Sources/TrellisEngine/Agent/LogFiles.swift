import Foundation

/// Small file helpers for step logs.
enum LogFiles {
    static func size(_ path: String) -> UInt64 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : 0
    }

    /// Up to `maxBytes` of the file from `offset`, as UTF-8 text (invalid bytes replaced).
    static func read(_ path: String, from offset: UInt64, maxBytes: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: offset)
            let data = try handle.read(upToCount: maxBytes) ?? Data()
            return String(decoding: data, as: UTF8.self)
        } catch {
            return ""
        }
    }

    /// Appends the file's bytes from `offset` to `target`, in chunks. The target is created
    /// even when there is no source (a step log that was never written is empty).
    static func copy(from source: String, offset: UInt64, appendingTo target: String) {
        let fd = open(target, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard let input = FileHandle(forReadingAtPath: source) else { return }
        defer { try? input.close() }
        try? input.seek(toOffset: offset)
        while let chunk = try? input.read(upToCount: 1 << 20), !chunk.isEmpty {
            _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }
}

extension LogFiles {
    /// Appends text with one `write()`.
    static func appendText(_ text: String, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
