// swift-tools-version: 6.1
import PackageDescription

/// How `trellis` is linked (docs/BENCHMARKS.md, "fourth round of fixes"): by the toolchain's
/// lld, as a position-dependent executable with packed relocations and no exported symbol
/// table. Every run agent is a new process; linked by gold as a PIE, each one spent about 1 ms
/// applying 109,000 relocations, and the server kept 2.6 MiB of relocation records and 0.9 MiB
/// of relocated pointers resident.
let linkerFlags = [
    "-use-ld=lld",
    "-Xclang-linker", "-no-pie",
    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--no-export-dynamic",
]

let package = Package(
    name: "Trellis",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trellis", targets: ["trellis"]),
        .library(name: "TrellisCore", targets: ["TrellisCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
    ],
    targets: [
        .target(
            name: "TrellisCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "TrellisCLI",
            dependencies: [
                "TrellisCore",
                "TrellisEngine",
                "TrellisStore",
                "TrellisAPI",
                "TrellisCatalog",
                "TrellisWatcher",
                "TrellisMetrics",
                "CTrellisSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "CTrellisSystem"),
        .target(
            name: "TrellisEngine",
            dependencies: ["TrellisCore", "CTrellisSystem", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "TrellisStore", dependencies: ["TrellisCore", .product(name: "Logging", package: "swift-log")]),
        .target(name: "TrellisTesting", dependencies: ["TrellisCore"]),
        .target(name: "TrellisWatcher", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .target(name: "TrellisCatalog", dependencies: ["TrellisCore", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "TrellisMetrics",
            dependencies: [
                "TrellisCore",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "TrellisAPI",
            dependencies: [
                "TrellisCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "trellis", dependencies: ["TrellisCLI"], linkerSettings: [.unsafeFlags(linkerFlags)]),
        .testTarget(name: "TrellisCoreTests", dependencies: ["TrellisCore", "TrellisTesting"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TrellisCLITests",
            dependencies: ["TrellisCLI", "TrellisCore", "TrellisStore", "TrellisTesting", "trellis", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "TrellisEngineTests", dependencies: ["TrellisEngine"]),
        .testTarget(name: "TrellisStoreTests", dependencies: ["TrellisStore", "TrellisTesting", "TrellisCore"]),
        .testTarget(name: "TrellisWatcherTests", dependencies: ["TrellisWatcher"]),
        .testTarget(name: "TrellisCatalogTests", dependencies: ["TrellisCatalog", "TrellisWatcher", "TrellisCore"]),
        .testTarget(name: "TrellisAPITests", dependencies: ["TrellisAPI", "TrellisCore", "TrellisTesting"]),
        .testTarget(name: "TrellisMetricsTests", dependencies: ["TrellisMetrics", "TrellisCore"]),
    ],
    swiftLanguageModes: [.v6]
)
