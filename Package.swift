// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Flotilla",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flotilla", targets: ["flotilla"]),
        .executable(name: "flotilla-crash-test", targets: ["CrashTest"]),
        .library(name: "CrashTestSlowWrites", type: .dynamic, targets: ["CSlowWrites"]),
        .executable(name: "flotilla-bench", targets: ["Bench"]),
        .executable(name: "flotilla-fuzz-api", targets: ["FuzzAPI"]),
        .library(name: "Journal", targets: ["Journal"]),
        .library(name: "FleetAPI", targets: ["FleetAPI"]),
        .library(name: "Rollout", targets: ["Rollout"]),
        .library(name: "HubServer", targets: ["HubServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "JournalSchema"),
        .target(name: "ByteHashing", swiftSettings: swiftSettings),
        .target(
            name: "Journal",
            dependencies: [
                "CSQLite", "CLZ4", "CLibPQ", "JournalSchema", "ByteHashing", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FleetAPI",
            dependencies: ["ByteHashing", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Access",
            dependencies: [
                "FleetAPI", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Rollout",
            dependencies: [
                "Journal", "FleetAPI", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                // MetricGate measurements: the hub queries Prometheus-compatible APIs.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HubServer",
            dependencies: [
                "Rollout", "Access", "Console", "KubeClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KubeClient",
            dependencies: [
                "FleetAPI", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "Console", dependencies: ["FleetAPI"], swiftSettings: swiftSettings),
        .target(
            name: "Agent",
            dependencies: [
                "KubeClient", "FleetAPI", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "flotilla",
            dependencies: [
                "Rollout", "HubServer", "Access", "KubeClient", "Agent", "Console", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "CSlowWrites", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CrashCheck", dependencies: ["Journal", "FleetAPI", "Rollout"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "CrashTest",
            dependencies: [
                "CrashCheck", "FleetAPI", "Rollout", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Bench",
            dependencies: ["Journal", "FleetAPI", "Rollout", "HubServer", "CSQLite", "CLZ4", "CLibPQ"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FuzzAPI",
            dependencies: [
                "CrashCheck", "FleetAPI", "Journal", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "JournalTests", dependencies: ["Journal"], swiftSettings: swiftSettings),
        .testTarget(name: "FleetAPITests", dependencies: ["FleetAPI", "ByteHashing"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AccessTests",
            dependencies: [
                "Access", "FleetAPI", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "FleetAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "FleetAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "AgentTests", dependencies: ["Agent", "FleetAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "RolloutTests", dependencies: ["Rollout", "Journal"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CrashCheckTests", dependencies: ["CrashCheck", "Journal", "FleetAPI", "Rollout"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HubServerTests",
            dependencies: [
                "HubServer", "Access", "KubeClient", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
