import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// Thin wrappers over the system calls the store uses. Every failure becomes a ``StoreError``
/// naming the operation, the path and the system's reason.
enum Posix {
    /// The `StoreError` for the current `errno`.
    static func failure(_ action: String, _ path: String, errno code: Int32 = errno) -> StoreError {
        StoreError(.io, "cannot \(action): \(String(cString: strerror(code)))", path: path)
    }

    /// `open(2)` with `O_CLOEXEC` added, retried on `EINTR`.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644, action: String) throws(StoreError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw failure(action, path) }
        }
    }

    /// Like ``open(_:_:mode:action:)`` but `nil` when the file or a parent folder does not exist.
    static func openIfExists(_ path: String, _ flags: Int32, action: String) throws(StoreError) -> Int32? {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
            if fd >= 0 { return fd }
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            if code != EINTR { throw failure(action, path, errno: code) }
        }
    }

    /// `flock(2)`, retried on `EINTR`; returns `false` when `nonBlocking` and the lock is taken.
    @discardableResult
    static func lock(_ fd: Int32, _ operation: Int32, path: String) throws(StoreError) -> Bool {
        while true {
            if flock(fd, operation) == 0 { return true }
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK || code == EAGAIN, operation & LOCK_NB != 0 { return false }
            throw failure("lock file", path, errno: code)
        }
    }

    /// Writes all of `data` with one `write(2)` call (a short write is undone and reported).
    static func writeOnce(_ fd: Int32, _ data: Data, path: String, sizeBefore: Int64) throws(StoreError) {
        let written = data.withUnsafeBytes { buffer -> Int in
            var result: Int
            repeat {
                result = Glibc.write(fd, buffer.baseAddress, buffer.count)
            } while result < 0 && errno == EINTR
            return result
        }
        if written == data.count { return }
        let code = errno
        if written > 0 { _ = ftruncate(fd, off_t(sizeBefore)) }
        throw written < 0 ? failure("append to file", path, errno: code)
            : StoreError(.io, "cannot append to file: short write (\(written) of \(data.count) bytes)", path: path)
    }

    /// Writes all of `data`, looping over short writes (whole-file writes, not records).
    static func writeAll(_ fd: Int32, _ data: Data, path: String) throws(StoreError) {
        let failed = data.withUnsafeBytes { FileWrites.writeAll(fd, $0) }
        if failed != 0 { throw failure("write file", path, errno: failed) }
    }

    /// `pread(2)` of up to `count` bytes at `offset`.
    static func read(_ fd: Int32, offset: Int64, count: Int, path: String) throws(StoreError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var total = 0
        let failed = bytes.withUnsafeMutableBytes { buffer -> Int32? in
            while total < count {
                let result = pread(fd, buffer.baseAddress! + total, count - total, off_t(offset) + off_t(total))
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if result == 0 { break }
                total += result
            }
            return nil
        }
        if let failed { throw failure("read file", path, errno: failed) }
        return total == count ? bytes : Array(bytes[0..<total])
    }

    /// `fstat(2)`.
    static func status(_ fd: Int32, path: String) throws(StoreError) -> stat {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("stat file", path) }
        return info
    }

    /// `fsync(2)`.
    static func sync(_ fd: Int32, path: String) throws(StoreError) {
        while fsync(fd) != 0 {
            if errno != EINTR { throw failure("fsync", path) }
        }
    }

    /// Opens a directory and fsyncs it, making new entries in it durable.
    static func syncDirectory(_ path: String) throws(StoreError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY, action: "open directory")
        defer { Glibc.close(fd) }
        try sync(fd, path: path)
    }

    /// Whether something exists at `path` (`stat` succeeds).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Creates a directory and its missing parents.
    static func makeDirectories(_ path: String) throws(StoreError) {
        // mkdir(2) from the deepest level up, only as far as a level is missing (`mkdir -p`):
        // the common case, a parent that exists, is one system call.
        if mkdir(path, 0o755) == 0 { return }
        switch errno {
        case EEXIST:
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw StoreError(.io, "cannot create directory: a file is in the way", path: path)
            }
        case ENOENT:
            let parent = (path as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != path else { throw failure("create directory", path, errno: ENOENT) }
            try makeDirectories(parent)
            if mkdir(path, 0o755) != 0 && errno != EEXIST { throw failure("create directory", path) }
        default:
            throw failure("create directory", path)
        }
    }

    /// The names in a directory (without `.` and `..`); an empty list when it does not exist.
    static func list(_ path: String) throws(StoreError) -> [String] {
        guard let dir = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw failure("list directory", path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Reads a whole file; `nil` when it does not exist.
    static func readFile(_ path: String) throws(StoreError) -> Data? {
        guard let fd = try openIfExists(path, O_RDONLY, action: "open file") else { return nil }
        defer { Glibc.close(fd) }
        let size = try status(fd, path: path).st_size
        return Data(try read(fd, offset: 0, count: Int(size), path: path))
    }

    /// Writes a whole file atomically: a temp file beside it, fsync, `rename(2)`, fsync the folder.
    static func replaceFile(_ path: String, with data: Data) throws(StoreError) {
        let temp = path + ".tmp-\(getpid())-\(UInt32.random(in: .min ... .max))"
        let fd = try open(temp, O_WRONLY | O_CREAT | O_TRUNC, action: "create temp file")
        do {
            try writeAll(fd, data, path: temp)
            try sync(fd, path: temp)
            Glibc.close(fd)
        } catch {
            Glibc.close(fd)
            unlink(temp)
            throw error
        }
        guard rename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw failure("replace file", path, errno: code)
        }
        try syncDirectory((path as NSString).deletingLastPathComponent)
    }
}
