import ArgumentParser
import Foundation
import TrellisCore
import TrellisEngine

/// `trellis start <dag> [-- params]`: runs a DAG in the foreground; this process is the run agent.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run a DAG now, in the foreground.",
        discussion: """
        Prints the run ID, runs every step, and exits 0 when the run succeeded or partially \
        succeeded, 1 when it failed or was aborted, 2 when the DAG or its params are invalid. \
        Ctrl-C (or SIGTERM) stops the run: running steps get their stop signal, then SIGKILL \
        after max_clean_up_time_sec, and the abort and exit handlers run.
        Params: `trellis start etl -- DATE=2026-01-01 batch_size=50`, or `-p 'DATE=2026-01-01'`, \
        or a JSON object.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: [.customShort("p"), .customLong("params")], help: "Params as one string (NAME=value …) or JSON.")
    var params: String?

    @Option(name: [.customShort("r"), .customLong("run-id")], help: "The run ID (default: a new UUID v7).")
    var runID: String?

    @Option(name: .customLong("labels"), help: "Extra labels for this run, comma-separated.")
    var labels: String?

    @Option(name: .customLong("dag-name"), help: "Record the run under this DAG name (its history and own queue).")
    var dagName: String?

    @Option(name: .customLong("parent"), help: .hidden)
    var parent: String?

    @Option(name: .customLong("root"), help: .hidden)
    var root: String?

    /// Set by the queue dispatcher (§14.3): run the existing `queued` run `--run-id` of the DAG
    /// named `<dag>` from the spec and params stored with it (StartCommand+Queued.swift).
    @Flag(name: .customLong("queued"), help: .hidden)
    var queued = false

    /// Set by the queue dispatcher with `--queued`: the token of the claim this agent was
    /// started for; the run starts only while that claim is current (StartCommand+Queued.swift).
    @Option(name: .customLong("claim"), help: .hidden)
    var claim: String?

    /// Set by the scheduler (§15.2): the run's trigger, `scheduler`.
    @Option(name: .customLong("trigger"), help: .hidden)
    var trigger: String?

    /// Set by the scheduler (§15.2): the slot, RFC 3339.
    @Option(name: .customLong("schedule-time"), help: .hidden)
    var scheduleTime: String?

    @Argument(help: "A path to a YAML file, or a DAG's file name or DAG name in the DAGs directory.")
    var dag: String

    @Argument(parsing: .postTerminator, help: "Params after --: NAME=value or positional values.")
    var extraParams: [String] = []

    func validate() throws {
        if queued { return try validateQueued() }
        if claim != nil { throw ValidationError("--claim goes with --queued") }
        if let runID, !NameRules.isValidRunID(runID) {
            throw ValidationError("run ID \"\(runID)\" is invalid: use 1-64 characters of letters, digits, \"-\" and \"_\"")
        }
        if let dagName, !NameRules.isValidDAGName(dagName) {
            throw ValidationError("DAG name \"\(dagName)\" is invalid: use 1-40 characters of letters, digits, \"_\", \".\" and \"-\"")
        }
        if let trigger, trigger != "scheduler" {
            throw ValidationError("--trigger must be \"scheduler\"")
        }
        if let scheduleTime, ScheduleTimeText.parse(scheduleTime) == nil {
            throw ValidationError("--schedule-time \"\(scheduleTime)\" is not an RFC 3339 time")
        }
        if params != nil && !extraParams.isEmpty {
            throw ValidationError("give params either with -p or after --, not both")
        }
    }

    func run() async throws {
        do {
            let context = try CommandContext(global)
            if queued { try await runQueued(context) }
            var loaded = try context.loadDAG(dag)
            if let dagName { loaded.dag.name = dagName }
            let overrides = try ParamOverrideParsing.overrides(text: params, arguments: extraParams)
            let resolved: ResolvedParams
            switch ParamResolver.resolve(loaded.dag.params, overrides: overrides) {
            case .success(let value): resolved = value
            case .failure(let errors): throw CLIFailure(2, errors.errors.map(\.message).joined(separator: "\n"))
            }
            let header = try makeHeader(loaded, resolved: resolved, context: context)
            let initial = RunSnapshot(header: header, attemptId: "", status: .notStarted, log: "",
                                      nodes: loaded.dag.steps.map { NodeRecord(name: $0.name) })
            let created: RunSnapshot
            do {
                created = try context.store.createRun(header, spec: loaded.text, initial: initial)
            } catch {
                throw CLIFailure(error.code == .runExists ? 2 : 1, "\(error)")
            }
            if !global.quiet { StandardStreams.line(header.run.id) }
            var request = RunRequest(dag: loaded.dag, header: header, params: resolved,
                                     dagDirectory: (loaded.path as NSString).deletingLastPathComponent,
                                     hostEnvironment: context.environment)
            request.created = created
            request.defaultShell = context.environment["TRELLIS_DEFAULT_SHELL"].map(ShellWords.split)
            request.subDAGLauncher = SubDAGLaunchConfig(
                executable: Executable.path, globalArguments: global.forwardedArguments(environment: context.environment),
                dagsDirectory: context.dagsDirectory)
            let final = try await AgentRunner.run(request, context: context)
            throw ExitCode(final.status.isSuccessful ? 0 : 1)
        } catch let failure as CLIFailure {
            throw failure.exit()
        }
    }

    private func makeHeader(_ loaded: CommandContext.LoadedDAG, resolved: ResolvedParams, context: CommandContext) throws -> RunHeader {
        let now = Date()
        let run = RunRef(name: loaded.dag.name, id: runID ?? RunIDGenerator.uuidV7(now: now))
        let parentRef = try parent.map { try RunRefParsing.parse($0, option: "--parent") }
        let rootRef = try root.map { try RunRefParsing.parse($0, option: "--root") }
        var labelList = loaded.dag.labels.map(\.description)
        for label in (labels ?? "").split(separator: ",") {
            let text = label.trimmingCharacters(in: .whitespaces).lowercased()
            if !text.isEmpty, !labelList.contains(text) { labelList.append(text) }
        }
        return RunHeader(
            run: run, createdAt: now, triggerType: parentRef != nil ? .subdag : (trigger == "scheduler" ? .scheduler : .manual),
            queue: loaded.dag.queue ?? loaded.dag.name, params: resolved.paramsString,
            paramsList: resolved.items.enumerated().map { index, item in
                item.name.map { "\($0)=\(item.rendered)" } ?? item.rendered
            },
            rawParamsJSON: resolved.rawJSON, root: rootRef ?? (parentRef == nil ? run : parentRef), parent: parentRef,
            scheduleTime: scheduleTime.flatMap(ScheduleTimeText.parse), labels: labelList, sourceFileName: loaded.fileStem)
    }
}

/// `name:id` arguments.
enum RunRefParsing {
    static func parse(_ text: String, option: String) throws -> RunRef {
        guard let colon = text.lastIndex(of: ":") else { throw CLIFailure(2, "\(option) must be <dag-name>:<run-id>") }
        return RunRef(name: String(text[..<colon]), id: String(text[text.index(after: colon)...]))
    }
}

/// CLI params: `-p` text (or JSON), or arguments after `--`.
enum ParamOverrideParsing {
    static func overrides(text: String?, arguments: [String]) throws -> ParamOverrides {
        if let text { return .text(text) }
        guard !arguments.isEmpty else { return .none }
        var tokens: [ParamToken] = []
        for argument in arguments {
            if let equals = argument.firstIndex(of: "="), NameRules.isValidVariableName(String(argument[..<equals])) {
                tokens.append(ParamToken(name: String(argument[..<equals]), value: String(argument[argument.index(after: equals)...])))
            } else {
                tokens.append(ParamToken(name: nil, value: argument))
            }
        }
        return .tokens(tokens)
    }
}

/// The path of the running `trellis` executable.
enum Executable {
    static var path: String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        return CommandLine.arguments[0]
    }
}

/// The `--schedule-time` text: RFC 3339 in UTC, with milliseconds when there are any. Written
/// and read by hand (``Timestamps``): `ISO8601DateFormatter` loads ICU's calendar and zone data
/// into the process that uses it, for every agent started with a schedule time.
enum ScheduleTimeText {
    static func format(_ date: Date) -> String {
        Timestamps.rfc3339OmittingZeroMillis(date)
    }

    static func parse(_ text: String) -> Date? {
        EventTime.parse(text).map(EventTime.date)
    }
}
