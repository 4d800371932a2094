import ArgumentParser

/// `trellis version`: prints the version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the Trellis version."
    )

    func run() {
        print("trellis \(TrellisVersion.current)")
    }
}
