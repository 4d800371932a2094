import CTrellisSystem
import Foundation
import Glibc
import Testing
@testable import TrellisEngine

@Suite("Child signals: the threads that fork accept SIGCHLD")
struct ChildSignalTests {
    private static func childSignalBlocked() -> Bool {
        var current = sigset_t()
        pthread_sigmask(SIG_BLOCK, nil, &current)
        return sigismember(&current, SIGCHLD) == 1
    }

    /// Runs `body` on a new thread that blocks SIGCHLD first, as Foundation and dispatch
    /// threads do; returns what it returned.
    private static func onThreadBlockingChildSignals(_ body: @escaping @Sendable () -> [Bool]) async -> [Bool] {
        await withCheckedContinuation { (continuation: CheckedContinuation<[Bool], Never>) in
            Thread {
                var child = sigset_t()
                sigemptyset(&child)
                sigaddset(&child, SIGCHLD)
                pthread_sigmask(SIG_BLOCK, &child, nil)
                continuation.resume(returning: body())
            }.start()
        }
    }

    @Test("trellis_accept_child_signals unblocks SIGCHLD in the calling thread only")
    func unblocksInCallingThread() async {
        let observed = await Self.onThreadBlockingChildSignals {
            let before = Self.childSignalBlocked()
            let result = trellis_accept_child_signals()
            return [before, result == 0, Self.childSignalBlocked()]
        }
        #expect(observed == [true, true, false])
    }

    @Test("a spawn from a thread that blocks SIGCHLD leaves that thread's mask as it was")
    func spawnRestoresMask() async throws {
        try await ProcessTestSupport.withTemporaryDirectory { directory in
            let request = try SpawnRequest(ProcessTestSupport.shell("true", in: directory))
            let observed = await Self.onThreadBlockingChildSignals {
                var reaped = false
                if case .success(let pid) = request.spawn() {
                    var status: Int32 = 0
                    reaped = waitpid(pid, &status, 0) == pid && status == 0
                }
                return [reaped, Self.childSignalBlocked()]
            }
            #expect(observed == [true, true])
        }
    }
}
