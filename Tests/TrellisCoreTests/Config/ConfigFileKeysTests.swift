import Foundation
import Testing
@testable import TrellisCore

@Suite("Config: every key from the file (§18)")
struct ConfigFileKeysTests {
    typealias Support = ConfigTestSupport

    static let fullFile = """
    home: /srv/trellis
    host: 0.0.0.0
    port: 9090
    dags_dir: flows
    data_dir: /var/lib/trellis
    docs_dir: manuals
    base_path: /trellis/
    api_base_path: /rest
    tz: Europe/Berlin
    auth:
      mode: basic
      basic:
        username: admin
        password: correct-horse-battery
      tokens:
        - 0123456789abcdef0123
        - fedcba9876543210fedc
    metrics: public
    idle_timeout_sec: 120
    queues:
      - name: batch
        max_concurrency: 3
      - name: reports
    events:
      enabled: false
      retention_days: 7
    default_shell: bash -e
    env_passthrough: [AWS_PROFILE, HTTP_PROXY]
    log_level: debug
    """

    @Test("a file setting every key")
    func everyKey() throws {
        let config = try Support.config(Self.fullFile)
        #expect(config.home == "/srv/trellis")
        #expect(config.host == "0.0.0.0")
        #expect(config.port == 9090)
        #expect(config.dagsDir == "/srv/trellis/flows")
        #expect(config.dataDir == "/var/lib/trellis")
        #expect(config.docsDir == "/srv/trellis/manuals")
        #expect(config.basePath == "/trellis")
        #expect(config.apiBasePath == "/rest")
        #expect(config.mountPath == "/trellis/rest")
        #expect(config.tz == "Europe/Berlin")
        #expect(config.timeZone == TimeZone(identifier: "Europe/Berlin"))
        #expect(config.auth == AuthConfig(mode: .basic, basicUsername: "admin", basicPassword: "correct-horse-battery",
                                          tokens: ["0123456789abcdef0123", "fedcba9876543210fedc"]))
        #expect(config.metrics == .public)
        #expect(config.idleTimeoutSec == 120)
        #expect(config.queues == [QueueConfig(name: "batch", maxConcurrency: 3), QueueConfig(name: "reports", maxConcurrency: 1)])
        #expect(config.queue(named: "reports")?.maxConcurrency == 1)
        #expect(config.queue(named: "missing") == nil)
        #expect(config.events == EventsConfig(enabled: false, retentionDays: 7))
        #expect(config.defaultShell == ["bash", "-e"])
        #expect(config.envPassthrough == ["AWS_PROFILE", "HTTP_PROXY"])
        #expect(config.logLevel == .debug)
        #expect(config.warnings == [])
    }

    /// One key at a time: `(yaml, check)`.
    static let singleKeys: [(String, @Sendable (TrellisConfig) -> Bool)] = [
        ("tz: UTC", { $0.tz == "UTC" }),
        ("tz: \"\"", { $0.tz == nil }),
        ("auth:\n  mode: bearer\n  tokens: [0123456789abcdef]", { $0.auth.mode == .token }),
        ("auth:\n  mode: TOKEN\n  tokens: 0123456789abcdef", { $0.auth.mode == .token && $0.auth.tokens == ["0123456789abcdef"] }),
        ("auth:\n  mode: none", { $0.auth.mode == .none }),
        ("auth: ~", { $0.auth.mode == .none }),
        ("metrics: private", { $0.metrics == .private }),
        ("metrics: Public", { $0.metrics == .public }),
        ("idle_timeout_sec: 0", { $0.idleTimeoutSec == 0 }),
        ("idleTimeoutSec: 86400", { $0.idleTimeoutSec == 86_400 }),
        ("queues: []", { $0.queues.isEmpty }),
        ("queues:\n  - {name: q1}\n  - {name: q2, max_concurrency: 1}", { $0.queues.map(\.name) == ["q1", "q2"] }),
        ("events:\n  enabled: yes", { $0.events.enabled }),
        ("events:\n  retention_days: 90", { $0.events == EventsConfig(enabled: true, retentionDays: 90) }),
        ("default_shell: ~", { $0.defaultShell == ["/bin/sh"] }),
        ("default_shell: /bin/bash", { $0.defaultShell == ["/bin/bash"] }),
        ("default_shell: [bash, -e, -o, pipefail]", { $0.defaultShell == ["bash", "-e", "-o", "pipefail"] }),
        ("default_shell: \"'/opt/my shell/sh' -e\"", { $0.defaultShell == ["/opt/my shell/sh", "-e"] }),
        ("env_passthrough: MY_VAR", { $0.envPassthrough == ["MY_VAR"] }),
        ("env_passthrough: ~", { $0.envPassthrough == [] }),
        ("log_level: trace", { $0.logLevel == .trace }),
        ("log_level: notice", { $0.logLevel == .notice }),
        ("log_level: WARNING", { $0.logLevel == .warning }),
        ("log_level: critical", { $0.logLevel == .critical }),
        ("host: ~", { $0.host == "127.0.0.1" }),
        ("port: +8081", { $0.port == 8081 }),
        ("port: 1", { $0.port == 1 }),
        ("port: 65535", { $0.port == 65535 }),
        ("base_path: /", { $0.basePath == "" && $0.mountPath == "/api/v1" }),
        ("api_base_path: \"\"", { $0.apiBasePath == "/api/v1" }),
        ("api_base_path: api/v2/", { $0.apiBasePath == "/api/v2" && $0.mountPath == "/api/v2" }),
    ]

    @Test("single keys", arguments: singleKeys)
    func singleKey(yaml: String, check: @Sendable (TrellisConfig) -> Bool) throws {
        let config = try Support.config(yaml)
        #expect(check(config), "\(yaml)")
    }

    @Test("camelCase keys (the older dialect) are accepted like snake_case")
    func camelCaseKeys() throws {
        let camel = """
        dagsDir: flows
        dataDir: store
        docsDir: manuals
        basePath: /x
        apiBasePath: /api/v2
        logLevel: error
        defaultShell: zsh
        envPassthrough: [A]
        queues:
          - name: q
            maxConcurrency: 2
        events:
          retentionDays: 3
        """
        let snake = """
        dags_dir: flows
        data_dir: store
        docs_dir: manuals
        base_path: /x
        api_base_path: /api/v2
        log_level: error
        default_shell: zsh
        env_passthrough: [A]
        queues:
          - name: q
            max_concurrency: 2
        events:
          retention_days: 3
        """
        let config = try Support.config(camel)
        #expect(config == (try Support.config(snake)))
        #expect(config.queues == [QueueConfig(name: "q", maxConcurrency: 2)])
    }

    @Test("anchors and merge keys work as in DAG files")
    func anchors() throws {
        let config = try Support.config("""
        queues:
          - &base {name: a, max_concurrency: 2}
          - <<: *base
            name: b
        """)
        #expect(config.queues == [QueueConfig(name: "a", maxConcurrency: 2), QueueConfig(name: "b", maxConcurrency: 2)])
    }
}
