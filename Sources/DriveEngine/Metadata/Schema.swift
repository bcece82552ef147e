import Blocks
import GRDB
import Notifier

/// The metadata schema: numbered migrations, never edited once released.
///
/// Tables: `setting` (per-store settings, chunker parameters, format), `user`, `item` (files and
/// folders; a stable id that survives rename and move), `version` (immutable), `versionBlock`
/// (ordered block list), `journal` (the change journal; `seq` is monotonic), `uploadSession` +
/// `uploadBlock` (resumable uploads), `localFile` (the files cache for re-putting folders), and
/// the block layer's own `pack` and `blockIndex`. Room is left for shares, devices, conflicts
/// and notification queues: they reference `item`, `version`, `user` and `journal.seq`.
/// Migration 2 adds `share` (who may see or change which item, with what role); migration 3
/// adds `journalCursor` (how far each durable journal reader has read; pruning keeps the rest).
/// Migration 4 types the journal: a closed `kind` (CHECK), actor, owner, target user and role,
/// version number, old and new parent, origin device and an amount, with owner-relative paths.
/// Migration 5 indexes the files cache by version. Migration 6 brings the notifier's tables
/// (`NotifierSchema`) and starts its journal cursor at the latest entry, so a store that had
/// history before notifications existed does not announce it all at once. Migration 7 adds
/// `conflict` (a write from a stale base kept as a version beside the head, until a person
/// resolves it) and `version.mergedFrom` (the second side a resolution names). Migration 8 adds
/// `version.linkTarget`: a version whose link target is set is a symbolic link, stored as the
/// bytes `readlink` gave (never followed); its content is empty (size 0, no blocks).
/// Migration 9 adds `device` and `deviceFolder` (multi-device sync).
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        PackBlockStore.registerMigrations(in: &migrator)
        migrator.registerMigration("drive-1-core") { db in
            try db.execute(sql: """
                CREATE TABLE setting (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                CREATE TABLE user (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL UNIQUE,
                    displayName TEXT NOT NULL,
                    email TEXT,
                    phone TEXT,
                    quotaBytes INTEGER,
                    rootId INTEGER,
                    createdAt DOUBLE NOT NULL
                );
                CREATE TABLE item (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    parentId INTEGER REFERENCES item(id),
                    ownerId INTEGER NOT NULL REFERENCES user(id),
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('file', 'folder')),
                    createdAt DOUBLE NOT NULL,
                    modifiedAt DOUBLE NOT NULL,
                    modifiedBy INTEGER NOT NULL REFERENCES user(id),
                    headVersionId INTEGER,
                    size INTEGER NOT NULL DEFAULT 0,
                    versionCount INTEGER NOT NULL DEFAULT 0,
                    trashedAt DOUBLE,
                    trashedPath TEXT
                );
                CREATE UNIQUE INDEX itemLiveName ON item(parentId, name) WHERE trashedAt IS NULL;
                CREATE INDEX itemByParent ON item(parentId);
                CREATE INDEX itemTrashed ON item(ownerId, trashedAt) WHERE trashedAt IS NOT NULL;
                CREATE TABLE version (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    itemId INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    size INTEGER NOT NULL,
                    digest BLOB NOT NULL,
                    authorId INTEGER NOT NULL REFERENCES user(id),
                    createdAt DOUBLE NOT NULL,
                    baseVersionId INTEGER,
                    restoredFrom INTEGER,
                    state TEXT NOT NULL DEFAULT 'committed',
                    pinned BOOLEAN NOT NULL DEFAULT 0,
                    blockCount INTEGER NOT NULL,
                    newBlocks INTEGER NOT NULL,
                    UNIQUE (itemId, number)
                );
                CREATE TABLE versionBlock (
                    versionId INTEGER NOT NULL REFERENCES version(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    blockId BLOB NOT NULL,
                    length INTEGER NOT NULL,
                    PRIMARY KEY (versionId, seq)
                ) WITHOUT ROWID;
                CREATE INDEX versionBlockByBlock ON versionBlock(blockId);
                CREATE TABLE journal (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    at DOUBLE NOT NULL,
                    userId INTEGER NOT NULL,
                    itemId INTEGER,
                    versionId INTEGER,
                    kind TEXT NOT NULL,
                    path TEXT NOT NULL,
                    detail TEXT
                );
                CREATE TABLE uploadSession (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    userId INTEGER NOT NULL REFERENCES user(id),
                    destPath TEXT NOT NULL,
                    localPath TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    mtimeNs INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    bytesDone INTEGER NOT NULL DEFAULT 0,
                    createdAt DOUBLE NOT NULL,
                    updatedAt DOUBLE NOT NULL
                );
                CREATE TABLE uploadBlock (
                    sessionId INTEGER NOT NULL REFERENCES uploadSession(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    blockId BLOB NOT NULL,
                    length INTEGER NOT NULL,
                    isNew BOOLEAN NOT NULL,
                    PRIMARY KEY (sessionId, seq)
                ) WITHOUT ROWID;
                CREATE TABLE localFile (
                    userId INTEGER NOT NULL,
                    localPath TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    mtimeNs INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    versionId INTEGER NOT NULL,
                    PRIMARY KEY (userId, localPath)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("drive-2-shares") { db in
            try db.execute(sql: """
                CREATE TABLE share (
                    itemId INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
                    userId INTEGER NOT NULL REFERENCES user(id),
                    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
                    sharedBy INTEGER NOT NULL REFERENCES user(id),
                    createdAt DOUBLE NOT NULL,
                    PRIMARY KEY (itemId, userId)
                ) WITHOUT ROWID;
                CREATE INDEX shareByUser ON share(userId);
                """)
        }
        migrator.registerMigration("drive-3-journal-cursors") { db in
            // A durable reader of the journal (a notifier, a sync device) records the last entry
            // it has handled; pruning never removes an entry past the lowest cursor.
            try db.execute(sql: """
                CREATE TABLE journalCursor (
                    name TEXT PRIMARY KEY,
                    seq INTEGER NOT NULL,
                    updatedAt DOUBLE NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("drive-4-typed-journal") { db in
            try db.execute(sql: """
                CREATE TABLE typedJournal (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    at DOUBLE NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN (\(journalKinds4))),
                    actorId INTEGER,
                    ownerId INTEGER,
                    itemId INTEGER,
                    versionId INTEGER,
                    versionNumber INTEGER,
                    path TEXT NOT NULL,
                    targetUserId INTEGER,
                    role TEXT CHECK (role IN ('viewer', 'editor', 'owner')),
                    oldParentId INTEGER,
                    newParentId INTEGER,
                    originDevice TEXT,
                    amount INTEGER,
                    detail TEXT
                );
                INSERT INTO typedJournal (seq, at, kind, actorId, ownerId, itemId, versionId, versionNumber, path, detail)
                    SELECT seq, at, kind, userId, COALESCE((SELECT ownerId FROM item WHERE item.id = journal.itemId), userId),
                           itemId, versionId, (SELECT number FROM version WHERE version.id = journal.versionId), path, detail
                    FROM journal;
                DROP TABLE journal;
                ALTER TABLE typedJournal RENAME TO journal;
                CREATE INDEX journalByItem ON journal(itemId);
                """)
        }
        // The version cap keeps every version a local copy is based on: it looks them up by id.
        migrator.registerMigration("drive-5-local-files-by-version") { db in
            try db.execute(sql: "CREATE INDEX localFileByVersion ON localFile(versionId)")
        }
        NotifierSchema.registerMigrations(in: &migrator)
        migrator.registerMigration("drive-6-notifier-cursor") { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO journalCursor (name, seq, updatedAt)
                VALUES ('notifier', (SELECT COALESCE(MAX(seq), 0) FROM journal), strftime('%s', 'now'))
                """)
        }
        migrator.registerMigration("drive-7-conflicts") { db in
            // A conflict version is a `version` row with state 'conflict' that never became the
            // head; `headVersionId` is the head it lost to, `baseVersionId` the version both
            // started from (the common ancestor a 3-way merge needs; null when the writer's base
            // was another file). A resolution is a new version whose `mergedFrom` names the
            // conflict version (its `baseVersionId` names the head it replaced).
            try db.execute(sql: """
                CREATE TABLE conflict (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    itemId INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
                    versionId INTEGER NOT NULL REFERENCES version(id) ON DELETE CASCADE,
                    headVersionId INTEGER NOT NULL,
                    baseVersionId INTEGER,
                    userId INTEGER NOT NULL REFERENCES user(id),
                    device TEXT,
                    createdAt DOUBLE NOT NULL,
                    resolvedAt DOUBLE,
                    resolvedBy INTEGER REFERENCES user(id),
                    resolution TEXT CHECK (resolution IN ('mine', 'theirs', 'both', 'merge')),
                    resultVersionId INTEGER
                );
                CREATE INDEX conflictOpen ON conflict(itemId) WHERE resolvedAt IS NULL;
                ALTER TABLE version ADD COLUMN mergedFrom INTEGER;
                """)
        }
        migrator.registerMigration("drive-8-link-targets") { db in
            try db.execute(sql: "ALTER TABLE version ADD COLUMN linkTarget TEXT")
        }
        migrator.registerMigration("drive-9-devices") { db in
            // A device is a local folder kept in sync with a drive folder for one user. What it
            // last synced is in `localFile` (keyed by the absolute local path, so the put/get
            // conflict checks and the version cap serve sync too) and, for folders, in
            // `deviceFolder` (paths relative to the device folder, '/'-separated).
            try db.execute(sql: """
                CREATE TABLE device (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    userId INTEGER NOT NULL REFERENCES user(id),
                    name TEXT NOT NULL,
                    folder TEXT NOT NULL UNIQUE,
                    drivePath TEXT NOT NULL,
                    createdAt DOUBLE NOT NULL,
                    lastSyncAt DOUBLE,
                    lastError TEXT,
                    skipped INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (userId, name)
                );
                CREATE TABLE deviceFolder (
                    deviceId INTEGER NOT NULL REFERENCES device(id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    PRIMARY KEY (deviceId, path)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("drive-10-journal-checks") { db in
            // The journal's two CHECKs as chains of `=`: SQLite tests `x IN (a, b, c, …)` (more
            // than two values) against a temporary b-tree of the list that it builds afresh each
            // time an INSERT runs, which was a quarter of the commit of a put of many small files.
            // The same sets of values are admitted. The table is copied (SQLite cannot change a
            // CHECK in place), keeping its sequence: a pruned journal must not reuse a number.
            let last = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'journal'")
            try db.execute(sql: """
                CREATE TABLE journal10 (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    at DOUBLE NOT NULL,
                    kind TEXT NOT NULL CHECK (\(Self.anyOf("kind", journalKinds10))),
                    actorId INTEGER,
                    ownerId INTEGER,
                    itemId INTEGER,
                    versionId INTEGER,
                    versionNumber INTEGER,
                    path TEXT NOT NULL,
                    targetUserId INTEGER,
                    role TEXT CHECK (\(Self.anyOf("role", ["viewer", "editor", "owner"]))),
                    oldParentId INTEGER,
                    newParentId INTEGER,
                    originDevice TEXT,
                    amount INTEGER,
                    detail TEXT
                );
                INSERT INTO journal10 SELECT seq, at, kind, actorId, ownerId, itemId, versionId, versionNumber, path,
                    targetUserId, role, oldParentId, newParentId, originDevice, amount, detail FROM journal;
                DROP TABLE journal;
                ALTER TABLE journal10 RENAME TO journal;
                CREATE INDEX journalByItem ON journal(itemId);
                """)
            if let last {
                try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'journal'")
                try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('journal', MAX(?, (SELECT COALESCE(MAX(seq), 0) FROM journal)))",
                               arguments: [last])
            }
        }
        return migrator
    }

    /// `column = 'a' OR column = 'b' OR …`: a CHECK that SQLite tests without building a
    /// temporary index of the values on every INSERT, as it does for `column IN ('a', 'b', …)`.
    static func anyOf(_ column: String, _ values: [String]) -> String {
        values.map { "\(column) = '\($0)'" }.joined(separator: " OR ")
    }

    /// The journal kinds migration 10 allows, commonest first. Frozen: a new kind gets a new migration.
    static let journalKinds10 = [
        "put", "mkdir", "move", "trash", "restore", "untrash", "purge", "pin", "unpin", "share", "unshare",
        "transfer", "userAdd", "quota", "versionCap", "versionDrop", "conflict",
    ]

    /// The journal kinds migration 4 allows. Frozen: a new kind gets a new migration.
    static let journalKinds4 = [
        "mkdir", "put", "restore", "pin", "unpin", "move", "trash", "untrash", "purge", "share", "unshare",
        "transfer", "userAdd", "quota", "versionCap", "versionDrop", "conflict",
    ].map { "'\($0)'" }.joined(separator: ", ")
}
