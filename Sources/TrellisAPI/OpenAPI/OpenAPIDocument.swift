import TrellisCore

/// The OpenAPI 3.0 document of the REST API (API §3.2), served at `GET /openapi.json`.
///
/// It describes every [v1] endpoint of API §3–§8 — also those the server does not serve yet —
/// with every response the server can send: the JSON bodies of §9, the empty 200/204 bodies,
/// the 401 challenge (empty body, `WWW-Authenticate`) and the error object of §1.5 for
/// 400/404/405/408/409/413/500/503/504. Paths: OpenAPIDocument+SystemAndDAGPaths.swift and
/// OpenAPIDocument+RunPaths.swift; schemas: OpenAPIDocument+Schemas.swift,
/// OpenAPIDocument+RunSchemas.swift and OpenAPIDocument+Wrappers.swift.
public enum OpenAPIDocument {
    /// The document version (`info.version`).
    public static let version = "1.0.0"

    /// The document with `servers` = exactly one entry, `serverURL` (the relative mount path,
    /// e.g. `/api/v1`).
    public static func json(serverURL: String) -> JSONValue {
        [
            "openapi": "3.0.3",
            "info": [
                "title": "Trellis",
                "version": .string(version),
                "description": """
                    The REST API of Trellis, a workflow orchestrator. Compatible with Dagu's REST API v1 for \
                    these endpoints. Paths are relative to the mount path (`servers[0].url`).
                    """,
            ],
            "servers": [["url": .string(serverURL)]],
            "security": [["basicAuth": []], ["apiToken": []]],
            "tags": .array(tags.map { ["name": .string($0.0), "description": .string($0.1)] }),
            "paths": .object(JSONObject(systemPaths + dagPaths + searchPaths + runPaths + queueAndEventPaths)),
            "components": components,
        ]
    }

    static let tags: [(String, String)] = [
        ("system", "Health, OpenAPI document and metrics (§3)."),
        ("dags", "DAG definitions, addressed by file name (§4)."),
        ("search", "Search over DAG files and docs (§5)."),
        ("dag-runs", "DAG runs, addressed by DAG name and run ID (§6)."),
        ("queues", "Queues (§7)."),
        ("events", "Event logs (§8)."),
    ]

    static var components: JSONValue {
        [
            "securitySchemes": [
                "basicAuth": ["type": "http", "scheme": "basic", "description": "auth.mode basic (§2)."],
                "apiToken": ["type": "http", "scheme": "bearer", "description": "An API token (auth.mode token, or basic with tokens; §2)."],
            ],
            "headers": headers,
            "parameters": .object(parameters),
            "responses": .object(errorResponses),
            "schemas": .object(JSONObject(sharedSchemas + runSchemas + wrapperSchemas + requestSchemas)),
        ]
    }

    static var headers: JSONValue {
        [
            "X-Request-Id": [
                "description": "The request's X-Request-Id if it sent one, else a generated ID (§1.1).",
                "required": true,
                "schema": ["type": "string"],
            ],
            "WWW-Authenticate": [
                "description": "`Basic realm=\"restricted\"` or `Bearer realm=\"restricted\"` (§2).",
                "required": true,
                "schema": ["type": "string"],
            ],
            "Allow": [
                "description": "The methods the path allows, comma-separated (§1.1).",
                "required": true,
                "schema": ["type": "string"],
            ],
        ]
    }

    // MARK: - Shared parameters (§1.4)

    static let dagNamePattern = "^[a-zA-Z0-9_.-]+$"
    static let runIDPattern = "^[-a-zA-Z0-9_]+$"

    static var parameters: JSONObject {
        let nameSchema = OAS.string(pattern: dagNamePattern, minLength: 1, maxLength: 40)
        return [
            "fileName": OAS.path("fileName", nameSchema, """
                The DAG file name (stem, without `.yaml`): letters, digits, `_`, `.`, `-`, 1–40 characters, not `.` \
                or `..`; checked after percent-decoding → else 400. `search`, `labels`, `tags` and `validate` are \
                static routes, not file names.
                """),
            "dagName": OAS.path("name", nameSchema, """
                The DAG name the runs are recorded under: letters, digits, `_`, `.`, `-`, 1–40 characters, not \
                `.` or `..` → else 400.
                """),
            "dagRunId": OAS.path("dagRunId", OAS.string(pattern: runIDPattern, minLength: 1, maxLength: 64), """
                The run ID (letters, digits, `-`, `_`; 1–64 characters → else 400), or `latest` for the most \
                recently created run of the DAG name.
                """),
            "stepName": OAS.path("stepName", OAS.string(minLength: 1), """
                A step or handler node name (`onInit`, `onSuccess`, `onFailure`, `onAbort`, `onExit`), \
                percent-encoded.
                """),
            "queueName": OAS.path("name", nameSchema, """
                A queue name (a global queue or a DAG's own queue): letters, digits, `_`, `.`, `-`, 1–40 \
                characters → else 400.
                """),
            "remoteNode": OAS.query("remoteNode", OAS.string(pattern: "^(local)?$"),
                                    "Absent or `local`; any other value → 400 \"remote nodes are not supported\"."),
            "workspace": OAS.query("workspace", OAS.string(pattern: "^[A-Za-z0-9_-]{0,64}$"),
                                   "Accepted and ignored (no workspaces in Trellis); must match `^[A-Za-z0-9_-]{1,64}$` → else 400."),
            "labels": OAS.query("labels", OAS.string(), """
                Comma-separated label filter, all must match: `key`, `key=value`, `!key` (absent), `*` wildcards \
                in key and value; items trimmed and lower-cased. With a non-empty `tags` too → 400.
                """),
            "tags": OAS.query("tags", OAS.string(), "Deprecated alias of `labels`; both non-empty → 400.", deprecated: true),
            "cursor": OAS.query("cursor", OAS.string(), """
                The opaque `nextCursor` of the previous page (§1.6). One issued for other filters, or a garbled \
                one → 400.
                """),
        ]
    }

    /// The parameters every operation of §4–§8 takes: `remoteNode` (any endpoint, §1.4).
    static var common: [JSONValue] { [OAS.parameterRef("remoteNode")] }

    /// `workspace` and `remoteNode`, for list and search endpoints.
    static var listCommon: [JSONValue] { [OAS.parameterRef("workspace"), OAS.parameterRef("remoteNode")] }

    // MARK: - Error responses (§1.5)

    static var errorResponses: JSONObject {
        [
            "BadRequest": OAS.json("Error", """
                Invalid input (`bad_request`): a bad path identifier, query parameter, body field or cursor, \
                malformed JSON, or DAG validation errors; `not_running` when stopping a run that is not running.
                """),
            "Unauthorized": [
                "description": "Missing, malformed or wrong credentials while auth is on (§2). Empty body.",
                "headers": OAS.headers(adding: "WWW-Authenticate"),
            ],
            "NotFound": OAS.json("Error", "Unknown DAG, run, step, log, queue or document (`not_found`)."),
            "MethodNotAllowed": [
                "description": "A known path with another method (`bad_request`), with an `Allow` header (§1.1).",
                "headers": OAS.headers(adding: "Allow"),
                "content": ["application/json": ["schema": OAS.ref("Error")]],
            ],
            "RequestTimeout": OAS.json("Error", "The wait expired (`timeout`)."),
            "Conflict": OAS.json("Error", """
                `already_exists`: the DAG file or run ID exists, a singleton conflict, or an active run blocks \
                the operation.
                """),
            "ContentTooLarge": OAS.json("Error", "The request body is larger than 8 MiB (`bad_request`); it is not read further."),
            "InternalError": OAS.json("Error", """
                Unexpected failure (`internal_error`, message `An unexpected error occurred`, `details.requestId`).
                """),
            "ServiceUnavailable": OAS.json("Error", "`internal_error`: the feature is not configured."),
            "GatewayTimeout": OAS.json("Error", "`timeout`: the listing took longer than 10 s."),
        ]
    }
}
