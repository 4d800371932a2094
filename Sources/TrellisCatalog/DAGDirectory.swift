import Foundation
import TrellisCore
#if canImport(Glibc)
import Glibc
#endif

/// The few system calls the catalog needs: list a directory, `stat` a file, read a file.
/// Rescans use `readdir` + `stat`, never per-URL resource values (about 90 µs a file on Linux).
enum DAGDirectory {
    /// Names in `directory` (without `.` and `..`); `nil` when it does not exist.
    static func list(_ directory: String) throws(CatalogError) -> [String]? {
        guard let stream = opendir(directory) else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw CatalogError(.cannotListDirectory, path: directory, errorNumber: errno)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The identity of the regular file at `path` (following symbolic links); `nil` when it is
    /// missing or not a regular file.
    static func identity(ofFile path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileIdentity(info)
    }

    /// Whether a file (or anything) exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The whole file, read with `open`/`read`.
    @Sendable
    static func readFile(atPath path: String) throws -> [UInt8] {
        switch FileBytes.read(path) {
        case .success(let bytes): return bytes
        case .failure(.system(let number)): throw CatalogError(.cannotReadFile, path: path, errorNumber: number)
        case .failure: throw CatalogError(.cannotReadFile, path: path, errorNumber: EIO)
        }
    }

    /// `mkdir -p`; returns the `errno` of the failure, `nil` on success.
    static func makeDirectories(_ path: String) -> Int32? {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return nil }
        guard errno == ENOENT else { return errno }
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, parent != path else { return ENOENT }
        if let failure = makeDirectories(parent) { return failure }
        return mkdir(path, 0o755) == 0 || errno == EEXIST ? nil : errno
    }

    /// `path` made absolute against the current directory, with `.` and `..` resolved.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// `directory/name`.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// What identifies a file's content cheaply: an unchanged identity means the file is not read
/// again on rescan.
struct FileIdentity: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    /// A placeholder for content that was never read.
    static let unknown = FileIdentity(device: 0, inode: 0, size: -1, modifiedSeconds: 0, modifiedNanoseconds: 0)

    init(device: UInt64, inode: UInt64, size: Int64, modifiedSeconds: Int, modifiedNanoseconds: Int) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedSeconds = modifiedSeconds
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    init(_ info: stat) {
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                  modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }

    /// The modification time.
    var modifiedAt: Date {
        Date(timeIntervalSince1970: TimeInterval(modifiedSeconds) + TimeInterval(modifiedNanoseconds) / 1e9)
    }
}
