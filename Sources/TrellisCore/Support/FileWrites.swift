#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes of a whole buffer to a descriptor.
public enum FileWrites {
    /// Writes every byte of `bytes`, looping over short writes and `EINTR`.
    /// - Returns: 0, or the `errno` of the failed `write` (a write of 0 bytes reports `EIO`);
    ///   what was written before a failure stays written.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress else { return 0 }
        var offset = 0
        while offset < bytes.count {
            let result = write(fd, base + offset, bytes.count - offset)
            if result > 0 {
                offset += result
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                return result < 0 ? errno : EIO
            }
        }
        return 0
    }
}
