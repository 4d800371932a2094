import CTrellisSystem
import Foundation
import Glibc
import Synchronization
import TrellisCore

/// The threads of this process that fork every child, wait for them and copy their piped
/// output into log files (§6.3).
///
/// A few long-lived *spawner* threads fork and exec (one per core, so that launches proceed in
/// parallel); one *monitor* thread sleeps in `epoll_wait` on a pidfd per running child and the
/// read ends of piped outputs, and reaps. `PR_SET_PDEATHSIG` fires when the *thread* that
/// forked exits: spawner threads never exit, so no step is killed by a thread coming and going,
/// and no thread (stack, malloc arena, exit) is made per step.
/// There is one monitor per process because children, pidfds and parent death are per process.
final class ChildMonitor: Sendable {
    /// Started on first use; nil when the kernel gives no epoll descriptor (the launcher then
    /// falls back to a thread per child).
    static let shared: ChildMonitor? = ChildMonitor(spawners: max(2, ProcessInfo.processInfo.activeProcessorCount))

    typealias HandOff = CheckedContinuation<Result<ChildProcess, LaunchError>, Never>

    private let epollFD: Int32
    /// Launches waiting for a spawner; spawners sleep on the condition while it is empty.
    private let launches = LaunchQueue()
    /// Watches whose descriptors spawners have added to epoll, not yet taken by the monitor.
    private let inbox = Mutex<[(UInt64, MonitorLoop.Watch)]>([])
    private let nextTag = Atomic<UInt64>(1)
    /// Program paths found in PATH (see ``SpawnRequest/resolvedProgram(cache:)``).
    private let programs = ProgramPathCache()

    private init?(spawners: Int) {
        let epollFD = trellis_epoll_create()
        guard epollFD >= 0 else { return nil }
        self.epollFD = epollFD
        let monitor = Thread { [self] in
            MonitorLoop(epollFD: epollFD) {
                self.inbox.withLock { queue in
                    defer { queue.removeAll(keepingCapacity: true) }
                    return queue
                }
            }.run()
        }
        monitor.name = "trellis-children"
        monitor.stackSize = ProcessLauncher.threadStackSize
        monitor.start()
        for _ in 0..<spawners {
            let spawner = Thread { [self] in
                // Each child's exit would otherwise wake two idle threads (see the C function).
                _ = trellis_accept_child_signals()
                while true { spawn(launches.next()) }
            }
            spawner.name = "trellis-spawn"
            spawner.stackSize = ProcessLauncher.threadStackSize
            spawner.start()
        }
    }

    /// Forks `request` on a spawner thread; returns once `execve` succeeded or failed.
    func launch(_ request: SpawnRequest) async -> Result<ChildProcess, LaunchError> {
        await withCheckedContinuation { (handOff: HandOff) in
            launches.add(request, handOff)
        }
    }

    /// On a spawner thread: fork and exec, hand the child to the launching task, and have the
    /// monitor watch its pidfd and output pipes.
    private func spawn(_ launch: (SpawnRequest, HandOff)) {
        let (request, handOff) = launch
        let program = request.resolvedProgram(cache: programs)
        let pid: Int32
        var outputs: [(fd: Int32, path: String)] = []
        if request.outputOnFirstByte {
            switch request.spawnPiped(program: program) {
            case .failure(let error):
                return handOff.resume(returning: .failure(error))
            case .success(let spawned):
                pid = spawned.pid
                outputs = spawned.outputs
            }
        } else {
            switch request.spawn(program: program) {
            case .failure(let error):
                return handOff.resume(returning: .failure(error))
            case .success(let spawned):
                pid = spawned
            }
        }
        let child = ChildProcess(pid: pid)
        handOff.resume(returning: .success(child))
        watch(child, outputs: outputs)
    }

    /// Adds the child's descriptors to epoll, then posts their watches to the monitor, which
    /// takes its inbox before it handles what epoll reports (a descriptor that is ready before
    /// its watch is posted is reported again: epoll is level-triggered).
    private func watch(_ child: ChildProcess, outputs: [(fd: Int32, path: String)]) {
        var posted: [(UInt64, MonitorLoop.Watch)] = []
        var outputTags: [UInt64] = []
        for output in outputs {
            let tag = nextTag.add(1, ordering: .relaxed).oldValue
            if trellis_epoll_watch(epollFD, output.fd, tag) == 0 {
                posted.append((tag, .output(OutputPump(fd: output.fd, path: output.path))))
                outputTags.append(tag)
            } else {
                // Out of epoll watches: the writer gets EPIPE instead of blocking on a full pipe.
                close(output.fd)
            }
        }
        let tag = nextTag.add(1, ordering: .relaxed).oldValue
        let pidfd = trellis_pidfd_open(child.pid)
        if pidfd >= 0 && trellis_epoll_watch(epollFD, pidfd, tag) == 0 {
            posted.append((tag, .leader(pid: child.pid, pidfd: pidfd, child: child, outputs: outputTags)))
        } else {
            // No pidfd (fd limit, old kernel): a thread of its own waits for this one. The
            // child's parent-death signal stays tied to its spawner thread, which never exits.
            if pidfd >= 0 { close(pidfd) }
            let thread = Thread { ProcessLauncher.waitAndReap(child) }
            thread.stackSize = ProcessLauncher.threadStackSize
            thread.start()
        }
        inbox.withLock { $0.append(contentsOf: posted) }
    }
}

/// Launch requests in arrival order; ``next()`` blocks the calling spawner thread until one
/// arrives.
private final class LaunchQueue: @unchecked Sendable {
    // Guarded by `condition`.
    private var items: [(SpawnRequest, ChildMonitor.HandOff)] = []
    private var head = 0
    private let condition = NSCondition()

    func add(_ request: SpawnRequest, _ handOff: ChildMonitor.HandOff) {
        condition.lock()
        items.append((request, handOff))
        condition.signal()
        condition.unlock()
    }

    func next() -> (SpawnRequest, ChildMonitor.HandOff) {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count { condition.wait() }
        let item = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return item
    }
}

/// The monitor thread's state; touched by that thread only.
final class MonitorLoop {
    /// What a tag stands for: a child's pidfd or one of its output pipes.
    enum Watch: @unchecked Sendable {
        case leader(pid: Int32, pidfd: Int32, child: ChildProcess, outputs: [UInt64])
        case output(OutputPump)
    }

    private let epollFD: Int32
    private let takePosted: () -> [(UInt64, Watch)]
    private var watches: [UInt64: Watch] = [:]
    /// Groups whose leader has been reaped but whose other members may still be our children
    /// (a child subreaper inherits them): reaped without blocking until none is left.
    private var lingeringGroups: Set<Int32> = []
    /// Made on the first piped output: a server, which only starts run agents, never needs it.
    /// Raw memory, not an array: an array passed `inout` out of a lazy property is copied
    /// (64 KiB) on every drain.
    private var readBuffer: UnsafeMutableRawBufferPointer?

    init(epollFD: Int32, takePosted: @escaping () -> [(UInt64, Watch)]) {
        self.epollFD = epollFD
        self.takePosted = takePosted
    }

    deinit {
        readBuffer?.deallocate()
    }

    private var buffer: UnsafeMutableRawBufferPointer {
        if let readBuffer { return readBuffer }
        let made = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        readBuffer = made
        return made
    }

    func run() -> Never {
        var ready = [UInt64](repeating: 0, count: 64)
        while true {
            let timeout: Int32 = lingeringGroups.isEmpty ? -1 : 50
            let count = ready.withUnsafeMutableBufferPointer {
                trellis_epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeout)
            }
            for (tag, watch) in takePosted() { watches[tag] = watch }
            for index in 0..<max(0, Int(count)) { handle(ready[index]) }
            reapLingeringGroups()
        }
    }

    private func remove(_ tag: UInt64, fd: Int32) {
        _ = trellis_epoll_forget(epollFD, fd)
        close(fd)
        watches[tag] = nil
    }

    private func handle(_ tag: UInt64) {
        switch watches[tag] {
        case .output(let pump):
            if pump.drain(using: buffer) { remove(tag, fd: pump.fd) }
        case .leader(let pid, let pidfd, let child, let outputs):
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == 0 || (result < 0 && errno == EINTR) { return }
            remove(tag, fd: pidfd)
            // Everything the leader wrote before it exited is in the pipes now: copy it before
            // anyone reads the files for the step's output.
            for outputTag in outputs {
                if case .output(let pump) = watches[outputTag], pump.drain(using: buffer) {
                    remove(outputTag, fd: pump.fd)
                }
            }
            // ECHILD: something else reaped it and the status is lost; report a failure.
            child.resolve(result == pid ? Termination(waitStatus: status) : .exited(255))
            lingeringGroups.insert(pid)
        case nil:
            return
        }
    }

    private func reapLingeringGroups() {
        for pgid in lingeringGroups where !ProcessLauncher.reapGroupMembers(pgid: pgid, blocking: false) {
            lingeringGroups.remove(pgid)
        }
    }
}

/// Copies one pipe into its log file, creating the file when the first byte arrives.
/// Made by a spawner thread, then used by the monitor thread only.
final class OutputPump {
    let fd: Int32
    private let path: String
    private var file: Int32 = -1

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit {
        if file >= 0 { close(file) }
    }

    /// Copies what the pipe holds now; true at end of file (every writer has closed it).
    /// Bytes that cannot be written (the file cannot be made, the disk is full) are dropped so
    /// that the writer never blocks on a full pipe.
    func drain(using buffer: UnsafeMutableRawBufferPointer) -> Bool {
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count > 0 {
                write(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            } else if count == 0 {
                return true
            } else if errno == EINTR {
                continue
            } else {
                return errno != EAGAIN
            }
        }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) {
        if file < 0 {
            file = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0o644)
            if file < 0 { return }
        }
        FileWrites.writeAll(file, bytes)
    }
}
