/// The standard Prometheus process metrics of one process, read from Linux `/proc`.
public struct ProcessStats: Sendable, Hashable {
    /// User + system CPU time.
    public var cpuSeconds: Double
    public var residentMemoryBytes: Double
    public var virtualMemoryBytes: Double
    public var openFileDescriptors: Double
    /// The soft limit of open files (`Max open files`); `nil` when unlimited or unknown.
    public var maxFileDescriptors: Double?
    /// Seconds since 1970 of the process start.
    public var startTimeSeconds: Double

    public init(cpuSeconds: Double, residentMemoryBytes: Double, virtualMemoryBytes: Double, openFileDescriptors: Double,
                maxFileDescriptors: Double?, startTimeSeconds: Double) {
        self.cpuSeconds = cpuSeconds
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.openFileDescriptors = openFileDescriptors
        self.maxFileDescriptors = maxFileDescriptors
        self.startTimeSeconds = startTimeSeconds
    }
}
