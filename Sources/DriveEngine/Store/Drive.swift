import Blocks
import Foundation
import GRDB
import Notifier

/// An open store: the metadata database, the block store and the settings fixed at creation.
///
/// Layout of a store folder: `meta.sqlite` (WAL), `blocks/packs/XX/*.pack`, `lock`. Thread-safe:
/// GRDB serialises writes, the block store has its own lock. Operations on behalf of a user go
/// through `session(for:)`.
public final class Drive: Sendable {
    public let location: URL
    public let settings: StoreSettings
    let database: DatabasePool
    let blocks: PackBlockStore
    let chunker: Chunker
    let codec: BlockCodec
    let lock: StoreLock
    let clock: @Sendable () -> Date
    let cache: MetadataCache
    /// Notifications: settings, inbox and queues in this store's database (see `fanOutNotifications`).
    public let notifier: Notifier

    /// Opens the store in `location`, creating it (with `settings`) when it does not exist yet.
    /// A database write waits up to `busyTimeout` seconds for another process's transaction
    /// before failing with `.busy`. `whenWaiting` is called each time this process starts to
    /// wait for another process's hold on the store lock (a gc, or puts while gc waits): the CLI
    /// says so on stderr.
    public static func open(at location: URL, create: Bool = true, settings fresh: StoreSettings = .fresh(),
                            busyTimeout: TimeInterval = 10, whenWaiting: @escaping @Sendable () -> Void = {},
                            notifications: NotifierConfiguration = NotifierConfiguration(), templateFolder: String? = nil,
                            clock: @escaping @Sendable () -> Date = Date.init) throws(DriveError) -> Drive {
        let path = location.path
        let dbPath = location.appendingPathComponent("meta.sqlite").path
        let exists = FileManager.default.fileExists(atPath: dbPath)
        if !exists {
            guard create else {
                throw DriveError(.notFound, "open", path, "no Cairn store here", hint: "run 'cairn init' or pass --store")
            }
            if let problem = fresh.chunker.validate() { throw DriveError(.invalidArgument, "init", path, problem) }
        }
        do {
            try FileManager.default.createDirectory(at: location, withIntermediateDirectories: true)
            var config = Configuration()
            config.busyMode = .timeout(busyTimeout)
            config.foreignKeysEnabled = true
            let database = try DatabasePool(path: dbPath, configuration: config)
            // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and a
            // commit is announced (printed, journaled for notifications and other devices) as soon
            // as it returns. FULL syncs the WAL at every commit; commits are batched, so it costs
            // one fsync per batch. Set on the pool's one writer connection once it is open: a
            // pool turns WAL mode on after `prepareDatabase` and sets NORMAL with it.
            // The checkpoint threshold is 8,000 pages (32 MiB of WAL) instead of 1,000: a folder
            // put's batch writes ~2,700 pages, and a checkpoint after each one (copying the pages
            // to the database file, syncing it) rewrote a 38,000-file put's database three times.
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8000")
            }
            database.add(transactionObserver: CommitSignal(folder: location.path), extent: .databaseLifetime)
            try Schema.migrator.migrate(database)
            let settings = try database.write { db -> StoreSettings in
                if let existing = try StoreSettings.load(db) { return existing }
                try fresh.save(db)
                return fresh
            }
            guard settings.format <= StoreSettings.formatVersion else {
                throw DriveError(.invalidArgument, "open", path, "store format \(settings.format) is newer than this cairn understands",
                                 hint: "upgrade cairn")
            }
            let blocks = try PackBlockStore(folder: location.appendingPathComponent("blocks"), database: database)
            // When no operation of this process holds the lock, none is between storing blocks
            // and committing them: what the block store still holds uncommitted is garbage.
            let lock = try StoreLock(path: location.appendingPathComponent("lock").path,
                                     whenReleased: { [blocks] in blocks.dropUncommitted() }, whenWaiting: whenWaiting)
            let notifier = Notifier(database: database, configuration: notifications,
                                    templates: TemplateBook(builtIn: templates, overrides: templateFolder), clock: clock)
            return Drive(location: location, settings: settings, database: database, blocks: blocks, lock: lock,
                         notifier: notifier, clock: clock)
        } catch {
            throw DriveError.wrap(error, "open", path)
        }
    }

    private init(location: URL, settings: StoreSettings, database: DatabasePool, blocks: PackBlockStore,
                 lock: StoreLock, notifier: Notifier, clock: @escaping @Sendable () -> Date) {
        self.location = location
        self.settings = settings
        self.database = database
        self.blocks = blocks
        self.lock = lock
        self.notifier = notifier
        self.clock = clock
        self.chunker = Chunker(parameters: settings.chunker)
        self.codec = BlockCodec(compression: settings.compression, level: settings.compressionLevel)
        self.cache = MetadataCache()
    }

    /// The store location used when neither `--store` nor `CAIRN_STORE` is given:
    /// `$XDG_DATA_HOME/cairn`, else `~/.local/share/cairn`.
    public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("cairn")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/cairn")
    }

    // MARK: Settings

    /// Changes the per-store version cap; applies to the next commit of each file.
    public func setVersionCap(_ cap: Int) throws(DriveError) {
        guard cap >= 1 else { throw DriveError(.invalidArgument, "config", "versionCap", "the version cap must be at least 1") }
        try write("config", "versionCap") { db in
            try db.execute(sql: "UPDATE setting SET value = ? WHERE key = 'versionCap'", arguments: [String(cap)])
            try Self.journal(db, .versionCapChanged, at: clock(), actor: nil, amount: Int64(cap))
        }
    }

    func versionCap(_ db: Database) throws -> Int {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM setting WHERE key = 'versionCap'")).flatMap(Int.init) ?? settings.versionCap
    }

    // MARK: Database access with errors converted at the boundary

    func read<T>(_ operation: String, _ subject: String, _ body: (Database) throws -> T) throws(DriveError) -> T {
        do { return try database.read(body) } catch { throw DriveError.wrap(error, operation, subject) }
    }

    func write<T>(_ operation: String, _ subject: String, _ body: (Database) throws -> T) throws(DriveError) -> T {
        do {
            let result = try database.write(body)
            cache.invalidate()
            return result
        } catch {
            cache.invalidate()
            throw DriveError.wrap(error, operation, subject)
        }
    }

    /// The path of item `id` below its owner's root, walking up the parents (one prepared
    /// recursive query: journaling a folder put asks this for every file).
    static func itemPath(_ id: Int64, _ db: Database) throws -> DrivePath {
        let names = try String.fetchAll(db.cachedStatement(sql: """
            WITH RECURSIVE up(id, parentId, name, depth) AS (
                SELECT id, parentId, name, 0 FROM item WHERE id = ?
                UNION ALL
                SELECT item.id, item.parentId, item.name, up.depth + 1 FROM item JOIN up ON item.id = up.parentId
            ) SELECT name FROM up WHERE parentId IS NOT NULL ORDER BY depth DESC
            """), arguments: [id])
        return DrivePath(validated: names)
    }
}
