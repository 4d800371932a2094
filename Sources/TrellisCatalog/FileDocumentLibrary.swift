import Foundation
import Logging
import Synchronization
import TrellisCore
#if canImport(Glibc)
import Glibc
#endif

/// The Markdown documents under `docs_dir` (API §5): `*.md` files found recursively, each read
/// once per version.
///
/// Every call lists the directory tree again (`readdir` + `lstat`, no reads), so a document
/// added, changed or removed on disk is seen by the next request without a watcher; a file whose
/// (device, inode, size, mtime) is unchanged is not read again. Nothing outside `docs_dir` is
/// read: names starting with `.` are skipped, symbolic links are followed only when they resolve
/// to a regular file inside `docs_dir` (linked directories are not followed), and files are
/// opened with `O_NOFOLLOW`.
public final class FileDocumentLibrary: DocumentLibrary {
    /// A parsed document and the identity of the bytes it was built from.
    struct Cached: Sendable {
        var identity: FileIdentity
        var document: Document
    }

    /// One `.md` file found by the walk.
    struct Found {
        var id: String
        /// The path opened to read it (the resolved target for a symbolic link).
        var path: String
        var identity: FileIdentity
    }

    /// The documents directory, as configured.
    public let directory: String
    /// Files larger than this are skipped (logged once per version).
    public let maxFileBytes: Int
    /// How deep the walk descends below `docs_dir`.
    public let maxDepth: Int

    let logger: Logger
    /// Told the id of every document read (tests count reads with it).
    let onRead: (@Sendable (String) -> Void)?
    private let cache = Mutex<[String: Cached]>([:])

    public init(directory: String, logger: Logger, maxFileBytes: Int = 4 << 20, maxDepth: Int = 16,
                onRead: (@Sendable (String) -> Void)? = nil) {
        self.directory = DAGDirectory.absolute(directory)
        self.logger = logger
        self.onRead = onRead
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
    }

    /// Every document, sorted by id; an empty list when `docs_dir` does not exist.
    public func documents() -> [Document] {
        guard let root = Self.resolved(directory) else { return [] }
        var found: [Found] = []
        walk(root, root: root, prefix: "", depth: 0, into: &found)
        let previous = cache.withLock { $0 }
        var next: [String: Cached] = [:]
        next.reserveCapacity(found.count)
        for file in found {
            if let cached = previous[file.id], cached.identity == file.identity {
                next[file.id] = cached
            } else if let bytes = read(file) {
                next[file.id] = Cached(identity: file.identity,
                                       document: Document(id: file.id, text: String(decoding: bytes, as: UTF8.self)))
            }
        }
        cache.withLock { $0 = next }
        return next.values.map(\.document).sorted { $0.id < $1.id }
    }

    // MARK: - Walking

    private func walk(_ directory: String, root: String, prefix: String, depth: Int, into found: inout [Found]) {
        guard let names = try? DAGDirectory.list(directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = DAGDirectory.join(directory, name)
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if depth < maxDepth, DocumentID.isValidSegment(Substring(name)) {
                    walk(path, root: root, prefix: relative, depth: depth + 1, into: &found)
                }
            case S_IFREG:
                if let id = DocumentID.id(ofRelativePath: relative) {
                    found.append(Found(id: id, path: path, identity: FileIdentity(info)))
                }
            case S_IFLNK:
                // A link counts only when it resolves to a regular file inside docs_dir.
                guard let id = DocumentID.id(ofRelativePath: relative), let target = Self.resolved(path),
                      target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { continue }
                var targetInfo = stat()
                guard lstat(target, &targetInfo) == 0, targetInfo.st_mode & S_IFMT == S_IFREG else { continue }
                found.append(Found(id: id, path: target, identity: FileIdentity(targetInfo)))
            default:
                continue
            }
        }
    }

    /// Reads a found file without following a link swapped in since the walk; nil (logged) when
    /// it cannot be read or is too large.
    private func read(_ file: Found) -> [UInt8]? {
        if file.identity.size > Int64(maxFileBytes) {
            logger.warning("document skipped: too large", metadata: ["path": "\(file.path)", "bytes": "\(file.identity.size)"])
            return nil
        }
        onRead?(file.id)
        switch FileBytes.read(file.path, options: FileBytes.Options(noFollow: true, regularOnly: true, maxBytes: maxFileBytes)) {
        case .success(let bytes):
            return bytes
        case .failure(.system(let number)) where number != ENOENT && number != ELOOP:
            logger.warning("cannot read document", metadata: ["path": "\(file.path)", "errno": "\(number)"])
            return nil
        case .failure:
            return nil
        }
    }

    /// `realpath(3)`: the absolute path without links, `.` or `..`; nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
