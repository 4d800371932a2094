/// What a ``DirectoryWatcher`` reports. Every event is a hint: the consumer re-reads the disk.
public enum WatchEvent: Sendable, Hashable {
    /// The entry `name` (a base name in the watched directory) was created, written and closed,
    /// or moved in. Bursts for one name are coalesced into one event.
    case changed(String)
    /// The entry `name` was deleted or moved out.
    case removed(String)
    /// Events may have been lost (`IN_Q_OVERFLOW`, or the watch on the directory itself was
    /// lost or re-established): rescan the whole directory.
    case overflow
    /// The periodic safety-net tick (every `rescanInterval`): rescan the whole directory.
    case rescan
}
