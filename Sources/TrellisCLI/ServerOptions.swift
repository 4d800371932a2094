import ArgumentParser

/// Options of the commands that serve the API (`server`, `start-all`).
struct ServerOptions: ParsableArguments {
    @Option(name: [.customShort("c"), .customLong("config")], help: "The config file (default: $TRELLIS_CONFIG, else <home>/trellis.yaml if it exists).")
    var configFile: String?

    @Option(name: .customLong("host"), help: "Listen address (default 127.0.0.1).")
    var host: String?

    @Option(name: .customLong("port"), help: "Listen port (default 8080; 0 picks a free port).")
    var port: Int?
}
