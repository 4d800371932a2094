import Testing

/// The shared contract, run against the file store and the in-memory store.
@Suite("Run store contract")
struct RunStoreContractTests {
    private func contract(_ kind: StoreKind) -> RunStoreContract {
        RunStoreContract { clock in kind.make(clock: clock) }
    }

    @Test("create and read back", arguments: StoreKind.allCases)
    func createAndReadBack(_ kind: StoreKind) throws { try contract(kind).createAndReadBack() }

    @Test("a duplicate run ID is refused", arguments: StoreKind.allCases)
    func duplicateRunId(_ kind: StoreKind) throws { try contract(kind).duplicateRunIdIsRefused() }

    @Test("attempts and append order", arguments: StoreKind.allCases)
    func attempts(_ kind: StoreKind) throws { try contract(kind).attemptsAndAppendOrder() }

    @Test("paths are absolute and prepared", arguments: StoreKind.allCases)
    func paths(_ kind: StoreKind) throws { try contract(kind).pathsExistAndAreAbsolute() }

    @Test("listing is newest first across days, filtered by DAG name", arguments: StoreKind.allCases)
    func listing(_ kind: StoreKind) throws { try contract(kind).listingIsNewestFirstAcrossDays() }

    @Test("paging walks every run once; misused cursors are invalid", arguments: StoreKind.allCases)
    func paging(_ kind: StoreKind) throws { try contract(kind).pagingWalksEveryRunOnce() }

    @Test("sub-DAG runs are readable by ref but not listed", arguments: StoreKind.allCases)
    func children(_ kind: StoreKind) throws { try contract(kind).childrenAreReadableButNotListed() }

    @Test("the run lock is exclusive until released", arguments: StoreKind.allCases)
    func lock(_ kind: StoreKind) throws { try contract(kind).lockIsExclusiveUntilReleased() }

    @Test("listing shows the latest status", arguments: StoreKind.allCases)
    func latestStatus(_ kind: StoreKind) throws { try contract(kind).listingShowsTheLatestStatus() }
}
