import ArgumentParser

/// `<dag> [-r <run-id>]`: the DAG and, optionally, one of its runs.
struct RunTarget: ParsableArguments {
    @Option(name: [.customShort("r"), .customLong("run-id")], help: "The run ID (default: the latest run, or every running run for stop).")
    var runID: String?

    @Argument(help: "A DAG's file name, DAG name or path.")
    var dag: String
}
