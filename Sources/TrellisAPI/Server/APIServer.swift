import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import TrellisCore

/// What the API server serves and how it is reached.
public struct APIServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// The mount path (`/api/v1`, `/trellis/api/v1`).
    public var mountPath: String
    public var authenticator: Authenticator
    /// `GET /metrics` without credentials (`metrics: public`).
    public var publicMetrics: Bool
    /// The zone of timestamps in responses (config `tz`).
    public var timeZone: TimeZone
    public var version: String
    /// Where inline specs of `POST /dag-runs` are written before their run starts.
    public var inlineSpecDirectory: String
    /// How long a connection may stay idle (no request being read or answered, headers still
    /// arriving included) before the server closes it; `nil` = never.
    public var idleTimeout: Duration?

    public init(host: String, port: Int, mountPath: String, authenticator: Authenticator, publicMetrics: Bool = false,
                timeZone: TimeZone, version: String, inlineSpecDirectory: String, idleTimeout: Duration? = nil) {
        self.host = host
        self.port = port
        self.mountPath = mountPath
        self.authenticator = authenticator
        self.publicMetrics = publicMetrics
        self.timeZone = timeZone
        self.version = version
        self.inlineSpecDirectory = inlineSpecDirectory
        self.idleTimeout = idleTimeout
    }
}

/// Builds the Hummingbird application of the REST API.
public struct APIServer: Sendable {
    public let settings: APIServerSettings
    public let environment: APIEnvironment
    let logger: Logger

    public init(settings: APIServerSettings, environment: APIEnvironment, logger: Logger) {
        self.settings = settings
        self.environment = environment
        self.logger = logger
    }

    /// The routes of every controller.
    func routes() -> RouteTable<APIHandler> {
        var table = RouteTable<APIHandler>()
        SystemController(settings: settings, environment: environment).register(in: &table)
        DAGController(settings: settings, environment: environment).register(in: &table)
        RunController(settings: settings, environment: environment).register(in: &table)
        EnqueueController(settings: settings, environment: environment).register(in: &table)
        QueueController(settings: settings, environment: environment).register(in: &table)
        SearchController(settings: settings, environment: environment).register(in: &table)
        EventLogController(environment: environment).register(in: &table)
        OpenAPIController(settings: settings).register(in: &table)
        MetricsController(exporter: environment.metrics).register(in: &table)
        return table
    }

    /// The application; `onServerRunning` receives the bound port (useful with port 0).
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol {
        let mount = settings.mountPath.split(separator: "/").map(String.init)
        var publicPaths: Set<String> = ["/health"]
        if settings.publicMetrics { publicPaths.insert("/metrics") }
        let responder = APIResponder(mount: mount, routes: routes(), authenticator: settings.authenticator,
                                     publicPaths: publicPaths, logger: logger)
        let http1 = HTTP1Channel.Configuration(idleTimeout: settings.idleTimeout.map { TimeAmount($0) })
        return Application(
            responder: responder,
            server: .http1(configuration: http1),
            configuration: ApplicationConfiguration(address: .hostname(settings.host, port: settings.port), serverName: "trellis"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
