import Glibc
import Testing
@testable import TrellisEngine

@Suite("Termination: wait status and exit code (§6.2)")
struct TerminationTests {
    static let rows: [(Int32, Termination, Int32)] = [
        (0, .exited(0), 0),
        (1 << 8, .exited(1), 1),
        (42 << 8, .exited(42), 42),
        (255 << 8, .exited(255), 255),
        (SIGKILL, .signaled(SIGKILL), 137),
        (SIGTERM, .signaled(SIGTERM), 143),
        (SIGSEGV | 0x80, .signaled(SIGSEGV), 139),  // with the core-dump bit
    ]

    @Test("waitpid statuses decode without the C macros", arguments: rows)
    func decode(_ status: Int32, expected: Termination, exitCode: Int32) {
        let termination = Termination(waitStatus: status)
        #expect(termination == expected)
        #expect(termination.exitCode == exitCode)
    }

    @Test("descriptions")
    func descriptions() {
        #expect(Termination.exited(1).description == "exited with code 1")
        #expect(Termination.signaled(9).description == "killed by signal 9")
    }
}
