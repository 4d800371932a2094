import Testing
@testable import TrellisCore

@Suite("Config: paths and the config file location (§18)")
struct ConfigPathTests {
    typealias Support = ConfigTestSupport

    /// `(label, file, environment, home, dags, data, docs)`.
    static let rows: [(String, String, [String: String], String, String, String, String)] = [
        ("defaults under the current directory", "", [:], "/cwd", "/cwd/dags", "/cwd/data", "/cwd/dags/docs"),
        ("absolute home", "home: /srv/t", [:], "/srv/t", "/srv/t/dags", "/srv/t/data", "/srv/t/dags/docs"),
        ("relative home resolves against the current directory", "home: ./site", [:], "/cwd/site", "/cwd/site/dags", "/cwd/site/data", "/cwd/site/dags/docs"),
        ("relative dirs resolve against home", "home: /h\ndags_dir: ./my/dags/\ndata_dir: var", [:], "/h", "/h/my/dags", "/h/var", "/h/my/dags/docs"),
        ("absolute dirs are kept", "dags_dir: /d\ndata_dir: /v\ndocs_dir: /m", [:], "/cwd", "/d", "/v", "/m"),
        ("docs_dir defaults under dags_dir", "dags_dir: /d", [:], "/cwd", "/d", "/cwd/data", "/d/docs"),
        ("relative docs_dir resolves against home, not dags_dir", "dags_dir: /d\ndocs_dir: docs", [:], "/cwd", "/d", "/cwd/data", "/cwd/docs"),
        ("~ is the user's home", "home: ~/trellis\ndata_dir: ~/state", ["HOME": "/home/me"], "/home/me/trellis", "/home/me/trellis/dags", "/home/me/state", "/home/me/trellis/dags/docs"),
        ("~ without HOME is a plain name", "home: ~/t", [:], "/cwd/~/t", "/cwd/~/t/dags", "/cwd/~/t/data", "/cwd/~/t/dags/docs"),
        ("TRELLIS_HOME relative", "", ["TRELLIS_HOME": "inst"], "/cwd/inst", "/cwd/inst/dags", "/cwd/inst/data", "/cwd/inst/dags/docs"),
        (".. is kept", "dags_dir: ../shared", [:], "/cwd", "/cwd/../shared", "/cwd/data", "/cwd/../shared/docs"),
    ]

    @Test("path resolution", arguments: rows)
    func resolution(label: String, yaml: String, env: [String: String], home: String, dags: String, data: String, docs: String) throws {
        let config = try Support.config(yaml, env: env)
        #expect(config.home == home, "\(label)")
        #expect(config.dagsDir == dags, "\(label)")
        #expect(config.dataDir == data, "\(label)")
        #expect(config.docsDir == docs, "\(label)")
    }

    @Test("a relative current directory keeps paths relative")
    func relativeCurrentDirectory() throws {
        let config = try Support.config("data_dir: ./state", cwd: ".")
        #expect(config.home == "." && config.dagsDir == "dags" && config.dataDir == "state" && config.docsDir == "dags/docs")
    }

    @Test("ConfigPaths.clean", arguments: [
        ("/a/./b//c/", "/a/b/c"), ("./a", "a"), (".", "."), ("", "."), ("/", "/"), ("a/../b", "a/../b"),
    ])
    func clean(path: String, expected: String) {
        #expect(ConfigPaths.clean(path) == expected)
    }

    // MARK: - configFilePath

    /// `(label, --config, --home, environment, expected)`.
    static let fileRows: [(String, String?, String?, [String: String], String?, Bool)] = [
        ("--config wins and must exist", "/etc/t.yaml", "/h", ["TRELLIS_CONFIG": "/env.yaml", "TRELLIS_HOME": "/eh"], "/etc/t.yaml", true),
        ("TRELLIS_CONFIG next, must exist", nil, "/h", ["TRELLIS_CONFIG": "/env.yaml", "TRELLIS_HOME": "/eh"], "/env.yaml", true),
        ("--home's trellis.yaml, optional", nil, "/h", ["TRELLIS_HOME": "/eh"], "/h/trellis.yaml", false),
        ("$TRELLIS_HOME/trellis.yaml, optional", nil, nil, ["TRELLIS_HOME": "/eh"], "/eh/trellis.yaml", false),
        ("~ in the home is the user's home", nil, "~/t", ["HOME": "/home/me"], "/home/me/t/trellis.yaml", false),
        ("relative TRELLIS_HOME stays relative", nil, nil, ["TRELLIS_HOME": "inst"], "inst/trellis.yaml", false),
        ("no home: trellis.yaml in the current directory, optional", nil, nil, [:], "trellis.yaml", false),
        ("empty variables count as unset", nil, nil, ["TRELLIS_CONFIG": "", "TRELLIS_HOME": ""], "trellis.yaml", false),
        ("--config \"\" turns the file off", "", nil, ["TRELLIS_CONFIG": "/env.yaml"], nil, false),
    ]

    @Test("which config file", arguments: fileRows)
    func configFile(label: String, flag: String?, home: String?, env: [String: String], path: String?, required: Bool) {
        let result = ConfigLoader.configFilePath(flag: flag, environment: env, home: home)
        #expect(result?.path == path, "\(label)")
        if result != nil { #expect(result?.required == required, "\(label)") }
    }
}
