import CTrellisSystem
import Foundation
import Glibc
import Synchronization

/// The threads of this process that fork every child, wait for them and copy their piped
/// output into log files (§6.3).
///
/// A few long-lived *spawner* threads fork and exec (one per core, so that launches proceed in
/// parallel); one *monitor* thread sleeps in `epoll_wait` on a wake-up eventfd, a pidfd per
/// running child and the read ends of piped outputs, and reaps. `PR_SET_PDEATHSIG` fires when
/// the *thread* that forked exits: spawner threads never exit, so no step is killed by a
/// thread coming and going, and no thread (stack, malloc arena, exit) is made per step.
/// There is one monitor per process because children, pidfds and parent death are per process.
final class ChildMonitor: Sendable {
    /// Started on first use; nil when the kernel gives no epoll or eventfd descriptor (the
    /// launcher then falls back to a thread per child).
    static let shared: ChildMonitor? = ChildMonitor(spawners: max(2, ProcessInfo.processInfo.activeProcessorCount))

    typealias HandOff = CheckedContinuation<Result<ChildProcess, LaunchError>, Never>

    /// A started child for the monitor thread to watch.
    struct Started: Sendable {
        let child: ChildProcess
        let outputs: [(fd: Int32, path: String)]
        let handOff: HandOff
    }

    private let wakeFD: Int32
    /// Launches waiting for a spawner; spawners sleep on the condition while it is empty.
    private let launches = LaunchQueue()
    /// Children started and not yet seen by the monitor thread.
    private let inbox = Mutex<[Started]>([])

    private init?(spawners: Int) {
        let epollFD = trellis_epoll_create()
        let wakeFD = trellis_eventfd()
        guard epollFD >= 0, wakeFD >= 0, trellis_epoll_watch(epollFD, wakeFD, MonitorLoop.wakeTag) == 0 else {
            if epollFD >= 0 { close(epollFD) }
            if wakeFD >= 0 { close(wakeFD) }
            return nil
        }
        self.wakeFD = wakeFD
        let monitor = Thread { [self] in
            MonitorLoop(epollFD: epollFD) {
                self.inbox.withLock { queue in
                    defer { queue.removeAll(keepingCapacity: true) }
                    return queue
                }
            }.run(wakeFD: wakeFD)
        }
        monitor.name = "trellis-children"
        monitor.stackSize = ProcessLauncher.threadStackSize
        monitor.start()
        for _ in 0..<spawners {
            let spawner = Thread { [self] in
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

    /// On a spawner thread: fork and exec, then pass the child to the monitor thread, which
    /// hands it to the launching task once it watches it.
    private func spawn(_ launch: (SpawnRequest, HandOff)) {
        let (request, handOff) = launch
        let started: Started
        if request.outputOnFirstByte {
            switch request.spawnPiped() {
            case .failure(let error):
                return handOff.resume(returning: .failure(error))
            case .success(let spawned):
                started = Started(child: ChildProcess(pid: spawned.pid), outputs: spawned.outputs, handOff: handOff)
            }
        } else {
            switch request.spawn() {
            case .failure(let error):
                return handOff.resume(returning: .failure(error))
            case .success(let pid):
                started = Started(child: ChildProcess(pid: pid), outputs: [], handOff: handOff)
            }
        }
        inbox.withLock { $0.append(started) }
        trellis_eventfd_signal(wakeFD)
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
private final class MonitorLoop {
    static let wakeTag: UInt64 = 0

    private enum Watch {
        case leader(pid: Int32, pidfd: Int32, child: ChildProcess, outputs: [UInt64])
        case output(OutputPump)
    }

    private let epollFD: Int32
    private let takeStarted: () -> [ChildMonitor.Started]
    private var watches: [UInt64: Watch] = [:]
    private var nextTag: UInt64 = 1
    /// Groups whose leader has been reaped but whose other members may still be our children
    /// (a child subreaper inherits them): reaped without blocking until none is left.
    private var lingeringGroups: Set<Int32> = []
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(epollFD: Int32, takeStarted: @escaping () -> [ChildMonitor.Started]) {
        self.epollFD = epollFD
        self.takeStarted = takeStarted
    }

    func run(wakeFD: Int32) -> Never {
        var ready = [UInt64](repeating: 0, count: 64)
        while true {
            let timeout: Int32 = lingeringGroups.isEmpty ? -1 : 50
            let count = ready.withUnsafeMutableBufferPointer {
                trellis_epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeout)
            }
            for index in 0..<max(0, Int(count)) {
                let tag = ready[index]
                if tag == Self.wakeTag {
                    trellis_eventfd_clear(wakeFD)
                    takeStarted().forEach(watch)
                } else {
                    handle(tag)
                }
            }
            reapLingeringGroups()
        }
    }

    /// Watches a started child and its outputs, then hands the child to its launcher.
    private func watch(_ started: ChildMonitor.Started) {
        let child = started.child
        // A pipe epoll refuses (out of watches) is closed: its writer gets EPIPE instead of
        // blocking for ever on a full pipe.
        let outputs = started.outputs.compactMap { output -> UInt64? in
            let tag = add(output.fd, as: .output(OutputPump(fd: output.fd, path: output.path)))
            if tag != Self.wakeTag { return tag }
            close(output.fd)
            return nil
        }
        started.handOff.resume(returning: .success(child))
        let pidfd = trellis_pidfd_open(child.pid)
        if pidfd < 0 || add(pidfd, as: .leader(pid: child.pid, pidfd: pidfd, child: child, outputs: outputs)) == Self.wakeTag {
            // No pidfd (fd limit, old kernel): a thread of its own waits for this one. The
            // child's parent-death signal stays tied to its spawner thread, which never exits.
            if pidfd >= 0 { close(pidfd) }
            let thread = Thread { ProcessLauncher.waitAndReap(child) }
            thread.stackSize = ProcessLauncher.threadStackSize
            thread.start()
        }
    }

    /// Registers `fd`; returns its tag, or ``wakeTag`` when epoll refused it.
    private func add(_ fd: Int32, as watch: Watch) -> UInt64 {
        let tag = nextTag
        guard trellis_epoll_watch(epollFD, fd, tag) == 0 else { return Self.wakeTag }
        nextTag += 1
        watches[tag] = watch
        return tag
    }

    private func remove(_ tag: UInt64, fd: Int32) {
        _ = trellis_epoll_forget(epollFD, fd)
        close(fd)
        watches[tag] = nil
    }

    private func handle(_ tag: UInt64) {
        switch watches[tag] {
        case .output(let pump):
            if pump.drain(using: &buffer) { remove(tag, fd: pump.fd) }
        case .leader(let pid, let pidfd, let child, let outputs):
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == 0 || (result < 0 && errno == EINTR) { return }
            remove(tag, fd: pidfd)
            // Everything the leader wrote before it exited is in the pipes now: copy it before
            // anyone reads the files for the step's output.
            for outputTag in outputs {
                if case .output(let pump) = watches[outputTag], pump.drain(using: &buffer) {
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
        for pgid in lingeringGroups where !ProcessLauncher.reapExitedMembers(pgid: pgid) {
            lingeringGroups.remove(pgid)
        }
    }
}

/// Copies one pipe into its log file, creating the file when the first byte arrives.
private final class OutputPump {
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
    func drain(using buffer: inout [UInt8]) -> Bool {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                write(buffer, count: count)
            } else if count == 0 {
                return true
            } else if errno == EINTR {
                continue
            } else {
                return errno != EAGAIN
            }
        }
    }

    private func write(_ buffer: [UInt8], count: Int) {
        if file < 0 {
            file = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0o644)
            if file < 0 { return }
        }
        var written = 0
        while written < count {
            let result = buffer.withUnsafeBytes { Glibc.write(file, $0.baseAddress! + written, count - written) }
            if result > 0 {
                written += result
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
