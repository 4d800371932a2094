#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads with `open`/`read`, for every file Trellis reads in one piece.
///
/// Foundation's `FileManager.contents(atPath:)` and `String(contentsOfFile:)` are not used: on
/// Linux they leak a 4 KiB buffer each time they read an *empty* regular file (their path for
/// files whose size reads as 0). The server reads empty files all the time — a step's
/// `stderr` log, an agent's own log, `/proc/locks` with no lock — so under load that leak was
/// most of the server's memory growth (docs/LOAD.md).
public enum FileBytes {
    /// Why a read failed: the `errno` of `open`, `fstat` or `read`, or a size limit.
    public enum Failure: Error, Equatable, Sendable {
        case system(errno: Int32)
        case tooLarge(limit: Int)
        case notRegularFile
    }

    /// How to open and check the file.
    public struct Options: Sendable {
        /// Refuse a symbolic link in the last path component (`O_NOFOLLOW`).
        public var noFollow = false
        /// Refuse anything but a regular file (after opening, with `fstat`).
        public var regularOnly = false
        /// Fail with ``Failure/tooLarge(limit:)`` once more than this many bytes were read.
        public var maxBytes: Int?

        public init(noFollow: Bool = false, regularOnly: Bool = false, maxBytes: Int? = nil) {
            self.noFollow = noFollow
            self.regularOnly = regularOnly
            self.maxBytes = maxBytes
        }
    }

    /// The file's bytes. Files whose size reads as 0 (`/proc`) are read until end of file too.
    public static func read(_ path: String, options: Options = Options()) -> Result<[UInt8], Failure> {
        let flags = O_RDONLY | O_CLOEXEC | (options.noFollow ? O_NOFOLLOW : 0)
        let descriptor = open(path, flags)
        guard descriptor >= 0 else { return .failure(.system(errno: errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.system(errno: errno)) }
        if options.regularOnly && info.st_mode & S_IFMT != S_IFREG { return .failure(.notRegularFile) }
        let limit = options.maxBytes ?? Int.max
        if Int64(info.st_size) > Int64(limit) { return .failure(.tooLarge(limit: limit)) }
        // One read of the known size, plus a little room so that end of file is seen without
        // growing; a file that grew meanwhile (or reads as size 0) grows the buffer as needed.
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 4096)
        var used = 0
        while true {
            if used == bytes.count {
                if used > limit { return .failure(.tooLarge(limit: limit)) }
                bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096)))
            }
            let count = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + used, buffer.count - used)
            }
            if count > 0 {
                used += count
            } else if count == 0 {
                if used > limit { return .failure(.tooLarge(limit: limit)) }
                bytes.removeSubrange(used...)
                return .success(bytes)
            } else if errno != EINTR {
                return .failure(.system(errno: errno))
            }
        }
    }

    /// The file as UTF-8 text (invalid bytes replaced); nil when it cannot be read.
    public static func text(_ path: String) -> String? {
        guard case .success(let bytes) = read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
