import CTrellisSystem
import ServiceLifecycle

/// Hands the allocator's free pages back to the kernel: once at start (the catalog scan's
/// parse buffers are gone by then) and then every `interval`.
///
/// glibc keeps freed memory inside its arenas: pages left between long-lived allocations (the
/// catalog, caches) by short-lived ones (requests, run starts) stay resident, so a busy
/// server's RSS creeps up although its live heap does not (docs/BENCHMARKS.md, "memory").
/// `malloc_trim(0)` releases every whole free page of every arena; it costs about a millisecond
/// on a 20 MiB heap and nothing observable otherwise.
struct HeapTrimService: Service {
    var interval: Duration = .seconds(10)

    func run() async throws {
        Self.trim()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                Self.trim()
            }
        }
    }

    /// Makes the threads started from now on share one malloc arena. glibc gives threads their
    /// own arenas under contention (up to 8 per core), and each keeps the free memory of its
    /// busiest moment: over the first 2,000 runs of the memory bench the server's anonymous
    /// memory grew 3 MiB with its own arenas and 1 MiB with one (docs/BENCHMARKS.md). Small
    /// allocations come from per-thread caches, so the shared arena's lock is rarely taken.
    ///
    /// Also fixes at 128 KiB the size from which a block is mapped on its own. By default glibc
    /// raises that threshold to the size of every such block freed, so after the first large
    /// response or whole-file read, later ones came from the heap and left holes there between
    /// long-lived allocations: over 10,000 runs of the memory bench the growth's largest sample
    /// went from 4.8–6.4 MiB to 2.7–3.9 (docs/BENCHMARKS.md, sixth round).
    static func configureAllocator() {
        _ = trellis_malloc_arena_max(1)
        _ = trellis_malloc_mmap_threshold(128 * 1024)
    }

    /// Releases the free pages of every arena; `true` when some memory went back to the kernel.
    @discardableResult
    static func trim() -> Bool {
        trellis_malloc_trim() == 1
    }
}
