import Testing
@testable import TrellisCore

@Suite("Config: defaults (§18)")
struct ConfigDefaultsTests {
    typealias Support = ConfigTestSupport

    @Test("no file, no environment, no flags: every default of the §18 table")
    func defaults() throws {
        let config = try Support.config()
        #expect(config.home == "/cwd")
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.dagsDir == "/cwd/dags")
        #expect(config.dataDir == "/cwd/data")
        #expect(config.docsDir == "/cwd/dags/docs")
        #expect(config.basePath == "")
        #expect(config.apiBasePath == "/api/v1")
        #expect(config.mountPath == "/api/v1")
        #expect(config.tz == nil)
        #expect(config.timeZone == nil)
        #expect(config.auth == AuthConfig(mode: .none))
        #expect(config.metrics == .private)
        #expect(config.queues == [])
        #expect(config.events == EventsConfig(enabled: true, retentionDays: 30))
        #expect(config.defaultShell == ["/bin/sh"])
        #expect(config.envPassthrough == [])
        #expect(config.logLevel == .info)
        #expect(config.warnings == [])
    }

    @Test("an empty file, a comment-only file and a null document are the defaults", arguments: ["", "# nothing\n", "~\n", "---\n"])
    func emptyFile(text: String) throws {
        #expect(try Support.config(text) == Support.config())
    }

    @Test("default_shell falls back to $SHELL, then /bin/sh")
    func shellFallback() throws {
        #expect(try Support.config(env: ["SHELL": "/bin/zsh"]).defaultShell == ["/bin/zsh"])
        #expect(try Support.config(env: ["SHELL": ""]).defaultShell == ["/bin/sh"])
        #expect(try Support.config().defaultShell == ["/bin/sh"])
    }

    @Test("TrellisConfig() holds the same defaults, relative to \".\"")
    func initializerDefaults() throws {
        var fromInit = TrellisConfig(home: "/cwd")
        #expect(fromInit == (try Support.config()))
        fromInit = TrellisConfig()
        #expect(fromInit.dagsDir == "dags" && fromInit.dataDir == "data" && fromInit.docsDir == "dags/docs")
    }

    @Test("log levels are ordered least to most severe")
    func logLevelOrder() {
        #expect(LogLevel.allCases.sorted() == [.trace, .debug, .info, .notice, .warning, .error, .critical])
        #expect(LogLevel.debug < .info && !(LogLevel.critical < .error))
    }

    @Test("printing the auth settings never shows the password or the tokens")
    func authDescriptionRedacts() {
        let auth = AuthConfig(mode: .basic, basicUsername: "admin", basicPassword: "s3cret-password", tokens: ["tok-0123456789abcdef"])
        var config = TrellisConfig()
        config.auth = auth
        for text in [auth.description, String(reflecting: auth), String(describing: config), String(reflecting: config)] {
            #expect(!text.contains("s3cret") && !text.contains("tok-0123"))
        }
        #expect(auth.description.contains("admin") && auth.description.contains("tokens: 1"))
    }
}
