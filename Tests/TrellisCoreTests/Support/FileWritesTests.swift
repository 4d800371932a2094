import Foundation
import Glibc
import Testing
import TrellisCore

@Suite("FileWrites: a whole buffer in unbuffered writes")
struct FileWritesTests {
    @Test("a buffer larger than a pipe's capacity arrives whole while a reader drains it; a bad descriptor reports EBADF")
    func wholeBuffer() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        let (reader, writer) = (ends[0], ends[1])
        let payload = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        // The pipe holds 64 KiB: the write only finishes because short writes are continued.
        let drained = Task.detached { () -> [UInt8] in
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                received += chunk[..<count]
            }
            return received
        }
        let failure = payload.withUnsafeBytes { FileWrites.writeAll(writer, $0) }
        close(writer)
        #expect(failure == 0)
        #expect(await drained.value == payload)
        close(reader)

        #expect(payload.withUnsafeBytes { FileWrites.writeAll(-1, $0) } == EBADF)
        #expect([UInt8]().withUnsafeBytes { FileWrites.writeAll(-1, $0) } == 0)
    }
}
