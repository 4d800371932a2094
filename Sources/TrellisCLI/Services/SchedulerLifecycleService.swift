import ServiceLifecycle

/// The scheduler (leader wait, ticks, dispatcher, sweep) as a service: graceful shutdown cancels
/// it, which releases the scheduler lock on the way out so a standby takes over at once.
struct SchedulerLifecycleService: Service {
    let scheduler: SchedulerService

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await scheduler.run()
        }
    }
}
