// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Cairn",
    // Linux only (Glibc, syncfs, sync_file_range, ncursesw): no Apple platform is declared.
    products: [
        .executable(name: "cairn", targets: ["cairn"]),
        .executable(name: "cairn-bench", targets: ["cairn-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // C shims: zlib and ncursesw macros do not import into Swift. CZlib also loads libdeflate
        // at run time (dlopen) when the machine has it: no build dependency on libdeflate-dev.
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z"), .linkedLibrary("dl")]),
        .target(name: "CNcurses", linkerSettings: [.linkedLibrary("ncursesw")]),

        // Block layer: chunker, hashing, codec, block stores. Knows nothing of files or users.
        .target(
            name: "Blocks",
            dependencies: [
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for binding the hot inserts' arguments directly (DirectStatement.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            // Byte loops are ~10× slower unoptimised (PLATFORM.md): keep debug test builds fast.
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // Notifications: settings, templates, the inbox, durable per-channel queues with leases,
        // workers and the sendmail provider. Knows nothing of files: any service can call it.
        .target(
            name: "Notifier",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // HTTP notification providers (APNs, FCM, Twilio-style SMS, Standard Webhooks). Its own
        // target so that Notifier, and everything that links it, stays free of the HTTP stack.
        .target(
            name: "NotifierHTTP",
            dependencies: [
                "Notifier",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The drive: users, items, versions, uploads, downloads, journal. Never imports UI code.
        .target(
            name: "DriveEngine",
            dependencies: [
                "Blocks", "Notifier",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Line diff and 3-way merge over byte lines: unified diffs, diff3 with conflicts. No dependencies.
        .target(name: "TextMerge"),
        // Terminal screen layer: cells, buffer + diff, keys, text width, backends. No drive knowledge.
        .target(name: "ScreenKit", dependencies: ["CNcurses"]),
        // The full-screen app over the engine.
        .target(name: "DriveTUI", dependencies: ["ScreenKit", "DriveEngine", "Notifier", "TextMerge"]),

        .executableTarget(
            name: "cairn",
            dependencies: [
                "DriveEngine", "DriveTUI", "Notifier", "NotifierHTTP", "TextMerge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "cairn-bench", dependencies: [
            "DriveEngine", "Blocks", "DriveTUI", "ScreenKit", "FuzzHarness", "Notifier",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Fuzz harnesses for the parsers of untrusted input, and the program that runs them
        // (under libFuzzer when built with -DFUZZING; README "Fuzzing").
        .target(name: "FuzzHarness", dependencies: ["Blocks", "ScreenKit", "DriveTUI", "CNcurses"]),
        .executableTarget(name: "cairn-fuzz", dependencies: ["FuzzHarness"]),

        .testTarget(name: "BlocksTests", dependencies: ["Blocks"], exclude: ["__Snapshots__"]),
        .testTarget(name: "DriveEngineTests", dependencies: ["DriveEngine", "Notifier"]),
        .testTarget(name: "NotifierTests", dependencies: ["Notifier"]),
        .testTarget(
            name: "NotifierHTTPTests",
            dependencies: [
                "NotifierHTTP", "Notifier",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // The scripted HTTP/1.1 + HTTP/2 server the tests run under hypercorn.
            resources: [.copy("Resources/test_server.py")]
        ),
        .testTarget(name: "TextMergeTests", dependencies: ["TextMerge"]),
        .testTarget(name: "ScreenKitTests", dependencies: ["ScreenKit"], exclude: ["__Snapshots__"]),
        .testTarget(name: "DriveTUITests", dependencies: ["DriveTUI", "ScreenKit", "DriveEngine", "Notifier"], exclude: ["__Snapshots__"]),
        .testTarget(name: "CairnCLITests", dependencies: ["DriveEngine"]),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzHarness", "Blocks", "DriveTUI"]),
    ]
)
