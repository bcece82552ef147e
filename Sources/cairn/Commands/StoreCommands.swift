import ArgumentParser
import Blocks
import DriveEngine
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a store (the default store is also created on first use).",
        discussion: "The store's first user is --user (or $CAIRN_USER), else one named after $USER.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Minimum block size in bytes (fixed for the store's life).") var chunkMin = ChunkerParameters.standard.minSize
    @Option(help: "Average block size in bytes, a power of two.") var chunkAvg = ChunkerParameters.standard.averageSize
    @Option(help: "Maximum block size in bytes.") var chunkMax = ChunkerParameters.standard.maxSize
    @Option(help: "Codec for new blocks: zstd (the default where libzstd.so.1 loads) or deflate.")
    var compression: String?
    @Option(help: "Level for new blocks: zstd 0–19 (default \(StoreSettings.defaultZstdLevel)), deflate 0–9 (default \(StoreSettings.defaultDeflateLevel)); 0 stores raw.")
    var compressionLevel: Int?
    @Option(help: "Unpinned versions kept per file.") var versionCap = 100

    func run() throws {
        try global.run { context in
            let location = context.storeLocation
            try CommandContext.checkFolder(location)
            if CommandContext.hasStore(at: location) {
                throw DriveError(.alreadyExists, "init", location.path, "a store is already here")
            }
            let codec = try compression.map { name in
                guard let codec = BlockCompression(rawValue: name) else {
                    throw DriveError(.invalidArgument, "init", location.path, "--compression must be zstd or deflate, not \(name)")
                }
                return codec
            } ?? .preferred
            if codec == .zstd, !ZstdLibrary.isLoaded {
                throw DriveError(.invalidArgument, "init", location.path, "--compression zstd needs libzstd.so.1, which does not load here",
                                 hint: "install libzstd1, or choose --compression deflate")
            }
            let level = compressionLevel ?? StoreSettings.defaultLevel(codec)
            guard codec.levels.contains(level) else {
                throw DriveError(.invalidArgument, "init", location.path,
                                 "--compression-level must be \(codec.levels.lowerBound)–\(codec.levels.upperBound) for \(codec.rawValue)")
            }
            try CommandContext.checkNewUserName(context.firstUserName)
            var settings = StoreSettings.fresh(chunker: ChunkerParameters(minSize: chunkMin, averageSize: chunkAvg, maxSize: chunkMax))
            settings.compression = codec
            settings.compressionLevel = level
            settings.versionCap = versionCap
            let drive = try Drive.open(at: location, settings: settings)
            let session = try context.session(drive)
            Output.line("created store \(Output.escaped(location.path)) for user \(Output.escaped(session.user.name))")
        }
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add and list users, set quotas.", subcommands: [Add.self, ListUsers.self, Quota.self, SetContact.self, TokenCommand.self, WebhookCommand.self],
        defaultSubcommand: ListUsers.self)

    struct Quota: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set a user's quota: bytes of every kept version of the files they own.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var name: String
        @Argument(help: "New quota: bytes, with K, M, G or T (powers of 1024), or 'none'.") var size: String?

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                if let size {
                    try drive.setQuota(user: name, bytes: try Self.parse(size, name))
                }
                let usage = try drive.quotaUsage(user: name)
                Output.line("\(Output.escaped(name)): \(Output.bytes(usage.usedBytes)) used of \(usage.quotaBytes.map(Output.bytes) ?? "unlimited")")
                if let quota = usage.quotaBytes, usage.usedBytes > quota {
                    Output.error("cairn: user quota \(name): over the quota by \(Output.bytes(usage.usedBytes - quota)); "
                                 + "puts and restores of their files fail until versions are deleted or the quota is raised")
                }
            }
        }

        static func parse(_ text: String, _ name: String) throws(DriveError) -> Int64? {
            if text.lowercased() == "none" { return nil }
            let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
            var digits = text.uppercased()
            var scale: Int64 = 1
            if digits.hasSuffix("IB") { digits.removeLast(2) } else if digits.hasSuffix("B") { digits.removeLast() }
            if let last = digits.last, let unit = units[last] { scale = unit; digits.removeLast() }
            guard let value = Int64(digits), value >= 0 else {
                throw DriveError(.invalidArgument, "user quota", name, "'\(text)' is not a size", hint: "e.g. 500M, 2G or none")
            }
            let (bytes, overflow) = value.multipliedReportingOverflow(by: scale)
            guard !overflow else {
                throw DriveError(.invalidArgument, "user quota", name, "'\(text)' is too large (at most \(Int64.max) bytes)",
                                 hint: "e.g. 500M, 2G or none")
            }
            return bytes
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with an empty drive.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Login name: letters, digits, '.', '_', '-'.") var name: String
        @Option(help: "Name shown in the UI.") var displayName: String?
        @Option(help: "Email address for notifications.") var email: String?
        @Option(help: "Phone number for SMS notifications.") var phone: String?
        @Option(help: "Quota (e.g. 500M, 2G); unlimited when absent.") var quota: String?

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                let bytes = try quota.map { text throws(DriveError) in try Quota.parse(text, name) }
                let user = try drive.addUser(name: name, displayName: displayName, email: email, phone: phone)
                if let bytes { try drive.setQuota(user: name, bytes: bytes) }
                Output.line("added user \(Output.escaped(user.name))")
            }
        }
    }

    struct SetContact: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change a user's display name, email address or phone number ('' removes one).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var name: String
        @Option(help: "Name shown in the UI.") var displayName: String?
        @Option(help: "Email address for notifications ('' for none).") var email: String?
        @Option(help: "Phone number for SMS notifications ('' for none).") var phone: String?

        func validate() throws {
            guard displayName != nil || email != nil || phone != nil else {
                throw ValidationError("give --display-name, --email or --phone")
            }
        }

        func run() throws {
            try global.run { context in
                let user = try context.drive().setContact(user: name, displayName: displayName, email: email, phone: phone)
                Output.line("\(Output.escaped(user.name)): \(Output.escaped(user.displayName)), email \(Output.escaped(user.email ?? "-")), phone \(Output.escaped(user.phone ?? "-"))")
            }
        }
    }

    struct ListUsers: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                _ = try context.session(drive)
                let users = try drive.users()
                if json {
                    try Output.json(users.map(UserJSON.init))
                } else {
                    for user in users {
                        Output.line([user.name, user.displayName, user.email ?? "-", user.phone ?? "-"].map(Output.escaped).joined(separator: "\t"))
                    }
                }
            }
        }
    }
}

struct UserJSON: Encodable {
    var name: String
    var displayName: String
    @NullWhenAbsent var email: String?
    @NullWhenAbsent var phone: String?
    var createdAt: Date
    init(_ user: User) {
        name = user.name
        displayName = user.displayName
        email = user.email
        phone = user.phone
        createdAt = user.createdAt
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show logical and stored bytes, dedup and compression ratios.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try global.run { context in
            let stats = try context.session().stats()
            if json {
                try Output.json(StatsJSON(logicalBytes: stats.logicalBytes, uniqueBytes: stats.uniqueBytes, storedBytes: stats.storedBytes,
                                          packBytes: stats.packBytes, blocks: stats.blocks, files: stats.files, folders: stats.folders,
                                          versions: stats.versions, dedupRatio: stats.dedupRatio, compressionRatio: stats.compressionRatio))
                return
            }
            Output.line("logical bytes     \(Output.bytes(stats.logicalBytes)) in \(stats.files) files, \(stats.versions) versions, \(stats.folders) folders")
            Output.line("after dedup       \(Output.bytes(stats.uniqueBytes)) in \(stats.blocks) blocks (dedup ratio \(String(format: "%.2f", stats.dedupRatio))×)")
            Output.line("stored            \(Output.bytes(stats.storedBytes)) (compression ratio \(String(format: "%.2f", stats.compressionRatio))×)")
            Output.line("pack files        \(Output.bytes(stats.packBytes)) on disk")
        }
    }
}

struct StatsJSON: Encodable {
    var logicalBytes: Int64
    var uniqueBytes: Int64
    var storedBytes: Int64
    var packBytes: Int64
    var blocks: Int
    var files: Int
    var folders: Int
    var versions: Int
    var dedupRatio: Double
    var compressionRatio: Double
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that every referenced block is present and intact; exits 7 naming the affected paths if not.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try global.run { context in
            let drive = try context.drive()
            let progress = ProgressLine("verify")
            let report = try drive.verify(options: progress.options)
            progress.finish()
            if json {
                try Output.json(VerifyJSON(ok: report.isHealthy, blocksChecked: report.blocksChecked, bytesChecked: report.bytesChecked,
                                           problems: report.problems.map { .init(block: $0.block, reason: $0.reason, affected: $0.affected) }))
            } else if report.isHealthy {
                Output.line("ok: \(report.blocksChecked) blocks, \(Output.bytes(report.bytesChecked)) verified")
            }
            if !report.isHealthy {
                for problem in report.problems {
                    Output.error("cairn: verify: \(problem.message)")
                }
                throw ExitCode(ExitCodes.code(for: .corrupted))
            }
        }
    }
}

struct VerifyJSON: Encodable {
    struct Problem: Encodable {
        var block: String
        var reason: String
        var affected: [String]
    }
    var ok: Bool
    var blocksChecked: Int
    var bytesChecked: Int64
    var problems: [Problem]
}

struct GarbageCollect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Remove blocks that nothing refers to and compact pack files.",
        discussion: """
            Also prunes the change journal (entries older than --journal-days beyond the newest \
            --journal-entries, and only those every registered reader has read) and the local \
            files cache (records of purged versions and of local files that are gone).
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Keep journal entries of the last N days.") var journalDays = JournalRetention.standard.days
    @Option(help: "Keep at least the newest N journal entries.") var journalEntries = JournalRetention.standard.entries
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try global.run { context in
            let drive = try context.drive()
            let pruned = try drive.prune(retention: JournalRetention(days: journalDays, entries: journalEntries))
            let report = try drive.collectGarbage()
            if json {
                try Output.json(GarbageJSON(blocksRemoved: report.blocksRemoved, bytesFreed: report.bytesFreed,
                                            packsDeleted: report.packsDeleted, packsRewritten: report.packsRewritten,
                                            journalEntriesRemoved: pruned.journalEntriesRemoved,
                                            localFilesRemoved: pruned.localFilesRemoved))
                return
            }
            Output.line("removed \(report.blocksRemoved) blocks; freed \(Output.bytes(report.bytesFreed)) (\(report.packsDeleted) packs deleted, \(report.packsRewritten) rewritten)")
            Output.line("pruned \(pruned.journalEntriesRemoved) journal entries and \(pruned.localFilesRemoved) files-cache records")
        }
    }
}

struct GarbageJSON: Encodable {
    var blocksRemoved: Int
    var bytesFreed: Int64
    var packsDeleted: Int
    var packsRewritten: Int
    var journalEntriesRemoved: Int
    var localFilesRemoved: Int
}
