/// The schema objects of a DAG file, each with the keys it accepts.
///
/// Only keys of these objects are normalized from camelCase; keys of user maps (`env`, `labels`,
/// HTTP headers…) are never touched.
enum ObjectKind: String, Sendable, CaseIterable {
    case dag
    case step
    case handler
    case handlerOn
    case continueOn
    case retryPolicy
    case repeatPolicy
    case condition
    case schedule
    case scheduleEntry
    case paramDefinition
    case paramSchema
    case schemaProperty
    case parallel
    case httpConfig

    /// Keys Trellis implements (canonical form), in the order suggestions prefer.
    var keys: [String] {
        switch self {
        case .dag:
            return ["name", "description", "group", "labels", "type", "schedule", "skip_if_successful", "params",
                    "env", "dotenv", "working_dir", "shell", "timeout_sec", "delay_sec", "max_active_steps",
                    "max_active_runs", "queue", "max_clean_up_time_sec", "max_output_size", "hist_retention_days",
                    "preconditions", "handler_on", "steps"]
        case .step:
            return ["name", "id", "description", "depends", "command", "script", "shell", "working_dir", "env",
                    "type", "with", "call", "params", "parallel", "output", "stdout", "stderr", "continue_on",
                    "retry_policy", "repeat_policy", "preconditions", "timeout_sec", "signal_on_stop"]
        case .handler:
            return ObjectKind.step.keys.filter { $0 != "depends" }
        case .handlerOn:
            return ["init", "success", "failure", "abort", "exit"]
        case .continueOn:
            return ["skipped", "failed", "exit_code", "output", "mark_success"]
        case .retryPolicy:
            return ["limit", "interval_sec", "exit_code", "backoff", "max_interval_sec"]
        case .repeatPolicy:
            return ["repeat", "condition", "expected", "exit_code", "interval_sec", "limit", "backoff", "max_interval_sec"]
        case .condition:
            return ["condition", "expected", "negate"]
        case .schedule:
            return ["start", "stop", "restart"]
        case .scheduleEntry:
            return ["expression", "at", "kind"]
        case .paramDefinition:
            return ["name", "type", "default", "description", "required", "enum", "minimum", "maximum",
                    "min_length", "max_length", "pattern", "eval"]
        case .paramSchema:
            return ["type", "properties", "required", "title", "description", "additional_properties", "$schema", "$id"]
        case .schemaProperty:
            return ["type", "default", "description", "title", "enum", "minimum", "maximum", "exclusive_minimum",
                    "exclusive_maximum", "multiple_of", "min_length", "max_length", "pattern", "examples", "required"]
        case .parallel:
            return ["items", "max_concurrent"]
        case .httpConfig:
            return ["headers", "query", "body", "timeout", "silent", "expected_status", "json"]
        }
    }

    /// Keys of later features that only add side features: accepted, ignored, warned about.
    var ignoredLaterKeys: [String] {
        switch self {
        case .dag:
            return ["log_dir", "log_output", "hist_retention_runs", "restart_wait_sec", "run_config", "retry_policy",
                    "catchup_window", "overlap_policy", "mail_on", "smtp", "error_mail", "info_mail", "wait_mail", "otel"]
        case .step, .handler:
            return ["mail_on_error", "log_output"]
        case .handlerOn:
            return ["wait"]
        case .httpConfig:
            return ["skip_tls_verify", "debug"]
        default:
            return []
        }
    }

    /// Keys of later features that would change what runs: errors "not supported yet".
    var unsupportedLaterKeys: [String] {
        switch self {
        case .dag:
            return ["secrets", "defaults", "container", "ssh", "shell_packages", "registry_auths"]
        case .step, .handler:
            return ["exec", "container", "approval", "router", "shell_packages", "ssh"]
        default:
            return []
        }
    }

    /// Keys of Dagu features that Trellis leaves out: errors "not supported by Trellis".
    var excludedKeys: [String] {
        switch self {
        case .dag:
            return ["llm", "harness", "worker_selector", "workspace"]
        case .step, .handler:
            return ["llm", "harness", "worker_selector", "workspace", "messages", "agent"]
        default:
            return []
        }
    }

    /// Semantic renames applied after the camelCase → snake_case rule (DAG-FORMAT §1.3).
    var renames: [String: String] {
        switch self {
        case .dag:
            return ["dir": "working_dir", "precondition": "preconditions", "tags": "labels", "delay": "delay_sec"]
        case .step, .handler:
            return ["dir": "working_dir", "precondition": "preconditions", "run": "call", "config": "with"]
        case .handlerOn:
            return ["cancel": "abort"]
        case .continueOn:
            return ["failure": "failed"]
        case .condition:
            return ["command": "condition"]
        default:
            return [:]
        }
    }

    /// ``keys`` as a set and ``renames``, made once per kind: a DAG of hundreds of steps looks
    /// them up for every key it has.
    private static let lookups: [ObjectKind: (keys: Set<String>, renames: [String: String])] =
        Dictionary(uniqueKeysWithValues: allCases.map { ($0, (Set($0.keys), $0.renames)) })

    /// ``keys``, as a set.
    var keySet: Set<String> { Self.lookups[self]?.keys ?? Set(keys) }

    /// ``renames``, without building the table again.
    var renameTable: [String: String] { Self.lookups[self]?.renames ?? renames }
}
