import TrellisCLI

/// Process entry point: hands the command line to ``TrellisCommand``.
@main
struct Entry {
    static func main() async {
        await TrellisCommand.runMain()
    }
}
