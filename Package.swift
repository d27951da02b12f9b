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
        .library(name: "Journal", targets: ["Journal"]),
        .library(name: "FleetAPI", targets: ["FleetAPI"]),
        .library(name: "Rollout", targets: ["Rollout"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .target(name: "JournalSchema"),
        .target(
            name: "Journal",
            dependencies: ["CSQLite", "CLZ4", "JournalSchema", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FleetAPI",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Rollout",
            dependencies: ["Journal", "FleetAPI", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "flotilla",
            dependencies: ["Rollout", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "JournalTests", dependencies: ["Journal"], swiftSettings: swiftSettings),
        .testTarget(name: "FleetAPITests", dependencies: ["FleetAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "RolloutTests", dependencies: ["Rollout"], swiftSettings: swiftSettings),
    ]
)
