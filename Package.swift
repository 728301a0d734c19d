// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Takt",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "takt", targets: ["takt"]),
        .library(name: "TaktCore", targets: ["TaktCore"]),
        .library(name: "TaktHost", targets: ["TaktHost"]),
        .library(name: "TaktCLI", targets: ["TaktCLI"]),
        .library(name: "BuiltinModules", targets: ["BuiltinModules"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
        .package(url: "https://github.com/swiftwasm/WasmKit", .upToNextMinor(from: "0.4.2")),
    ],
    targets: [
        .target(name: "TaktCore", exclude: ["README.md"]),
        .target(name: "TaktScheduling", dependencies: ["TaktCore"], exclude: ["README.md"]),
        // The site's database: GRDB over the system SQLite. Sites link this, never PostgreSQL.
        .target(
            name: "TaktStore",
            dependencies: [
                "TaktCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                // SHA-256 for the outbox's hash chain (the audit trail); already built for signed sync.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        // Central's stores: SQLite by default, PostgreSQL for several central processes.
        // The system's zlib (zlib1g-dev), for the gzip files of `takt central archive`.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // libcurl for alert e-mail over SMTP (the system libcurl URLSession already uses).
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "TaktCentralStore",
            dependencies: [
                "TaktStore", "TaktSync", "CZlib", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["README.md"]
        ),
        // Site rule extensions as sandboxed WebAssembly: WasmKit with fuel and a memory limit, no WASI.
        .target(
            name: "TaktExtensions",
            dependencies: [
                "TaktCore", .product(name: "WasmKit", package: "WasmKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "FoodProcessing",
            dependencies: ["TaktCore"],
            path: "Plugins/FoodProcessing",
            exclude: ["README.md", "sample.yaml"]
        ),
        .target(
            name: "ElectronicsAssembly",
            dependencies: ["TaktCore"],
            path: "Plugins/ElectronicsAssembly",
            exclude: ["README.md", "sample.yaml"]
        ),
        .target(
            name: "OverseasPlant",
            dependencies: ["TaktCore"],
            path: "Plugins/OverseasPlant",
            exclude: ["README.md", "sample.yaml"]
        ),
        .target(
            name: "BuiltinModules",
            dependencies: ["TaktCore", "FoodProcessing", "ElectronicsAssembly", "OverseasPlant"],
            path: "Plugins/BuiltinModules",
            exclude: ["README.md"]
        ),
        .target(
            name: "TaktHost",
            dependencies: [
                "TaktCore", "TaktStore", "TaktScheduling", "TaktSync", "TaktExtensions", "Yams", "CCurl",
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),
        .target(
            name: "TaktSync",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["README.md"]
        ),
        // What central and the site app share on the web: passwords and tokens, login throttling, security
        // headers, request bodies under a budget, form parsing.
        .target(
            name: "TaktWeb",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "TaktCentral",
            dependencies: [
                "TaktCore", "TaktStore", "TaktCentralStore", "TaktSync", "TaktScheduling", "TaktWeb", "TaktExtensions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["README.md"],
            resources: [.copy("openapi.yaml")]
        ),
        // The site app: pages for the shop floor and the site's JSON API, served by the site process.
        .target(
            name: "TaktSiteApp",
            dependencies: [
                "TaktCore", "TaktStore", "TaktHost", "TaktWeb", "TaktScheduling",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"],
            resources: [.copy("Catalogues")]
        ),
        .target(
            name: "TaktTesting",
            dependencies: ["TaktHost", "TaktCore", "TaktStore", "BuiltinModules", "Yams"],
            exclude: ["README.md"]
        ),
        // The command-line tool as a library: a company's own `takt` links it with its own modules.
        .target(
            name: "TaktCLI",
            dependencies: [
                "TaktHost", "TaktCore", "TaktStore", "TaktCentralStore", "TaktScheduling", "TaktSync", "TaktCentral",
                "TaktWeb", "TaktSiteApp", "TaktExtensions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(name: "takt", dependencies: ["TaktCLI", "BuiltinModules"]),
        // The example of docs/writing-a-module.md: a company's own build with its own module, tested.
        .target(name: "AcmePress", dependencies: ["TaktCore"], path: "Examples/AcmeTakt/AcmePress"),
        .executableTarget(
            name: "acme-takt", dependencies: ["TaktCLI", "BuiltinModules", "AcmePress"],
            path: "Examples/AcmeTakt/acme-takt"),
        .testTarget(name: "TaktCoreTests", dependencies: ["TaktCore"]),
        .testTarget(
            name: "TaktExtensionsTests",
            dependencies: [
                "TaktExtensions", "TaktCore", "TaktHost", "TaktStore", "BuiltinModules", "TaktSync", "TaktCentral",
                "TaktCentralStore", .product(name: "WAT", package: "WasmKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "TaktSchedulingTests", dependencies: ["TaktScheduling", "TaktCore"]),
        .testTarget(
            name: "TaktStoreTests",
            dependencies: ["TaktStore", "TaktCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TaktCentralStoreTests",
            dependencies: ["TaktCentralStore", "TaktStore", "TaktCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "BuiltinModulesTests", dependencies: ["BuiltinModules", "TaktCore", "TaktHost"]),
        .testTarget(
            name: "FoodProcessingTests",
            dependencies: [
                "FoodProcessing", "OverseasPlant", "TaktTesting", "TaktHost", "TaktCore", "TaktStore", "TaktScheduling",
                "BuiltinModules",
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ElectronicsAssemblyTests",
            dependencies: [
                "ElectronicsAssembly", "TaktTesting", "TaktHost", "TaktCore", "TaktStore", "BuiltinModules",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "OverseasPlantTests",
            dependencies: [
                "OverseasPlant", "TaktTesting", "TaktHost", "TaktCore", "TaktStore", "TaktScheduling", "BuiltinModules",
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TaktHostTests",
            dependencies: [
                "TaktHost", "TaktCore", "TaktStore", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "taktTests", dependencies: ["takt", "acme-takt", "TaktCLI", "TaktHost", "TaktCore", "BuiltinModules"]),
        .testTarget(
            name: "TaktSiteAppTests",
            dependencies: [
                "TaktSiteApp", "TaktHost", "TaktStore", "TaktCore", "TaktWeb", "BuiltinModules",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "TaktCentralTests",
            dependencies: [
                "TaktCentral", "TaktSync", "TaktStore", "TaktCentralStore", "TaktCore", "TaktWeb", "Yams",
                "TaktExtensions", .product(name: "WAT", package: "WasmKit"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TaktSyncTests",
            dependencies: [
                "TaktSync", "TaktCentral", "TaktHost", "TaktStore", "TaktCentralStore", "TaktCore", "BuiltinModules",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
