import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TrellisCore

/// DAG file changes for the API: atomic writes, then the catalog is refreshed before returning
/// (read-your-writes, API §1.2).
extension FileDAGCatalog: DAGFileWriting {
    public func create(fileName: String, text: String) throws(DAGFileError) {
        let target = try path(of: fileName)
        if entry(fileName: fileName) != nil || DAGDirectory.exists(target) {
            throw DAGFileError(.exists, "DAG \(fileName) already exists")
        }
        let temp = try writeTemporary(text, near: target)
        // link(2) fails with EEXIST instead of replacing: a no-replace rename.
        let linked = link(temp, target)
        let code = errno
        unlink(temp)
        guard linked == 0 else {
            if code == EEXIST { throw DAGFileError(.exists, "DAG \(fileName) already exists") }
            throw DAGFileError(.io, "cannot create \(target): \(String(cString: strerror(code)))")
        }
        reload(fileName: fileName + ".yaml")
    }

    public func replace(fileName: String, text: String) throws(DAGFileError) {
        guard let current = entry(fileName: fileName) else { throw DAGFileError(.notFound, "DAG \(fileName) not found") }
        let temp = try writeTemporary(text, near: current.path)
        guard Glibc.rename(temp, current.path) == 0 else {
            let code = errno
            unlink(temp)
            throw DAGFileError(.io, "cannot replace \(current.path): \(String(cString: strerror(code)))")
        }
        reload(fileName: (current.path as NSString).lastPathComponent)
    }

    public func delete(fileName: String) throws(DAGFileError) {
        guard let current = entry(fileName: fileName) else { throw DAGFileError(.notFound, "DAG \(fileName) not found") }
        guard unlink(current.path) == 0 || errno == ENOENT else {
            throw DAGFileError(.io, "cannot delete \(current.path): \(String(cString: strerror(errno)))")
        }
        try? setSuspended(fileName: fileName, false)
        remove(fileName: (current.path as NSString).lastPathComponent)
    }

    public func rename(fileName: String, to newFileName: String) throws(DAGFileError) {
        guard let current = entry(fileName: fileName) else { throw DAGFileError(.notFound, "DAG \(fileName) not found") }
        let target = try path(of: newFileName)
        if entry(fileName: newFileName) != nil || DAGDirectory.exists(target) {
            throw DAGFileError(.exists, "DAG \(newFileName) already exists")
        }
        guard link(current.path, target) == 0 else {
            let code = errno
            if code == EEXIST { throw DAGFileError(.exists, "DAG \(newFileName) already exists") }
            throw DAGFileError(.io, "cannot rename \(current.path): \(String(cString: strerror(code)))")
        }
        unlink(current.path)
        let wasSuspended = isSuspended(fileName: fileName)
        if wasSuspended {
            try? setSuspended(fileName: fileName, false)
            try? setSuspended(fileName: newFileName, true)
        }
        remove(fileName: (current.path as NSString).lastPathComponent)
        reload(fileName: newFileName + ".yaml")
    }

    public func suspend(fileName: String, _ suspended: Bool) throws(DAGFileError) {
        do {
            try setSuspended(fileName: fileName, suspended)
        } catch {
            throw DAGFileError(.io, "\(error)")
        }
    }

    private func path(of fileName: String) throws(DAGFileError) -> String {
        guard NameRules.isValidDAGName(fileName) else { throw DAGFileError(.io, "invalid DAG file name \(fileName)") }
        return DAGDirectory.join(dagsDirectory, fileName + ".yaml")
    }

    /// Writes `text` to a temporary file in the same directory and fsyncs it.
    private func writeTemporary(_ text: String, near target: String) throws(DAGFileError) -> String {
        if let failure = DAGDirectory.makeDirectories(dagsDirectory) {
            throw DAGFileError(.io, "cannot create \(dagsDirectory): \(String(cString: strerror(failure)))")
        }
        let temp = DAGDirectory.join(dagsDirectory, ".tmp-\(getpid())-\(UInt32.random(in: .min ... .max)).yaml")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DAGFileError(.io, "cannot write \(temp): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temp)
                throw DAGFileError(.io, "cannot write \(temp): \(String(cString: strerror(code)))")
            }
            written += result
        }
        fsync(fd)
        close(fd)
        return temp
    }
}
