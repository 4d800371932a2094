import Testing
@testable import TrellisWatcher

/// The per-name debouncing state machine, driven by explicit instants.
@Suite struct DebouncerTests {
    let start = ContinuousClock.now

    private func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test func aBurstForOneNameIsOneEventAfterTheQuietPeriod() {
        var debouncer = Debouncer(quietPeriod: .milliseconds(50))
        for time in stride(from: 0, to: 40, by: 2) { debouncer.record("a", removed: false, at: at(time)) }
        #expect(debouncer.takeDue(at: at(60)) == [])
        #expect(debouncer.nextDeadline == at(88))
        #expect(debouncer.takeDue(at: at(88)) == [.changed("a")])
        #expect(debouncer.count == 0)
        #expect(debouncer.nextDeadline == nil)
    }

    @Test func theLastKindWins() {
        var debouncer = Debouncer(quietPeriod: .milliseconds(50))
        debouncer.record("a", removed: false, at: at(0))
        debouncer.record("a", removed: true, at: at(1))
        debouncer.record("b", removed: true, at: at(0))
        debouncer.record("b", removed: false, at: at(1))
        #expect(debouncer.takeDue(at: at(100)) == [.removed("a"), .changed("b")])
    }

    @Test func namesAreDueIndependently() {
        var debouncer = Debouncer(quietPeriod: .milliseconds(50))
        debouncer.record("a", removed: false, at: at(0))
        debouncer.record("b", removed: false, at: at(30))
        #expect(debouncer.takeDue(at: at(50)) == [.changed("a")])
        #expect(debouncer.takeDue(at: at(80)) == [.changed("b")])
    }

    @Test func aNameWrittenContinuouslyIsStillReported() {
        var debouncer = Debouncer(quietPeriod: .milliseconds(50), maximumDelay: .milliseconds(200))
        var reported: [WatchEvent] = []
        for time in stride(from: 0, through: 300, by: 10) {
            debouncer.record("a", removed: false, at: at(time))
            reported += debouncer.takeDue(at: at(time))
        }
        #expect(reported == [.changed("a")])
    }

    @Test func removeAllForgetsPendingNames() {
        var debouncer = Debouncer(quietPeriod: .milliseconds(50))
        debouncer.record("a", removed: false, at: at(0))
        debouncer.removeAll()
        #expect(debouncer.takeDue(at: at(1000)) == [])
    }

    @Test func pollTimeoutsRoundUp() {
        #expect(WatchLoop.milliseconds(until: at(10), now: at(20)) == 0)
        #expect(WatchLoop.milliseconds(until: at(20), now: at(20)) == 0)
        #expect(WatchLoop.milliseconds(until: start + .microseconds(1500), now: start) == 2)
        #expect(WatchLoop.milliseconds(until: at(60_000), now: start) == 60_000)
    }
}
