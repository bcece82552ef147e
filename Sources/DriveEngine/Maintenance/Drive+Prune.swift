#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB

/// How much of the change journal pruning keeps: every entry newer than `days`, and the newest
/// `entries` entries, whichever is more; never an entry a registered cursor has not read yet.
///
/// A value; `days` ≥ 0 and `entries` ≥ 1 (the newest entry always stays: readers compare the
/// latest sequence number to notice changes).
public struct JournalRetention: Sendable, Equatable {
    /// Entries newer than this many days stay.
    public var days: Int
    /// At least this many of the newest entries stay.
    public var entries: Int

    /// 30 days or 100,000 entries, whichever is more.
    public static let standard = JournalRetention(days: 30, entries: 100_000)

    /// Keeps entries of the last `days` days and the newest `entries`, whichever is more.
    public init(days: Int, entries: Int) {
        self.days = days
        self.entries = entries
    }
}

/// What a prune removed.
public struct PruneReport: Sendable, Equatable {
    /// Journal entries older than the retention and read by every cursor.
    public var journalEntriesRemoved = 0
    /// Files-cache (`localFile`) records of purged versions or of local files that are gone.
    public var localFilesRemoved = 0

    /// Nothing removed yet.
    public init() {}
}

extension Drive {
    /// Removes what no device or consumer needs any more (run by `cairn gc`): journal entries
    /// beyond `retention` that every registered cursor has read (notifications are fanned out
    /// first, so the notifier's cursor is never what holds them), and files-cache records whose
    /// version was purged (capped, or emptied from the trash) or whose local file no longer exists.
    ///
    /// Blocks the calling thread (it checks each cached local path on disk). Safe beside running
    /// commands: a files-cache record is removed only if it is unchanged since it was checked.
    @discardableResult
    public func prune(retention: JournalRetention = .standard) throws(DriveError) -> PruneReport {
        guard retention.days >= 0, retention.entries >= 1 else {
            throw DriveError(.invalidArgument, "gc", location.path, "the journal keeps at least 1 entry and 0 days")
        }
        var report = PruneReport()
        // The notifier's cursor holds the journal back until fan-out has read it: read it now.
        try fanOutNotifications()
        report.journalEntriesRemoved = try pruneJournal(retention)
        report.localFilesRemoved = try pruneLocalFiles()
        return report
    }

    /// Deletes journal entries older than the cutoff, outside the newest `entries`, and at or
    /// below every cursor; `batch` entries per transaction, so writers wait for one batch at most
    /// (each batch looks at the cursors again).
    private func pruneJournal(_ retention: JournalRetention, batch: Int = 10_000) throws(DriveError) -> Int {
        let cutoff = clock().addingTimeInterval(-Double(retention.days) * 86_400).timeIntervalSince1970
        var removed = 0
        while true {
            let deleted = try write("gc", "journal") { db -> Int in
                let latest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM journal") ?? 0
                var bound = latest - Int64(retention.entries)
                if let lowest = try Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM journalCursor") { bound = min(bound, lowest) }
                guard bound > 0 else { return 0 }
                try db.execute(sql: """
                    DELETE FROM journal WHERE seq IN (
                        SELECT seq FROM journal WHERE seq <= ? AND at < ? ORDER BY seq LIMIT ?)
                    """, arguments: [bound, cutoff, batch])
                return db.changesCount
            }
            removed += deleted
            if deleted < batch { return removed }
        }
    }

    /// Deletes files-cache records of versions that no longer exist, then those of local paths
    /// that are gone (checked outside any transaction, removed only if still as checked).
    private func pruneLocalFiles() throws(DriveError) -> Int {
        var removed = try write("gc", "files cache") { db in
            try db.execute(sql: "DELETE FROM localFile WHERE versionId NOT IN (SELECT id FROM version)")
            return db.changesCount
        }
        var after: (Int64, String)? = nil
        let deviceFolders = try read("gc", "devices") { db in try String.fetchAll(db, sql: "SELECT folder FROM device") }
        while true {
            // A page at a time: the cache may hold millions of records.
            let page = try read("gc", "files cache") { db in
                try Row.fetchAll(db, sql: """
                    SELECT userId, localPath, mtimeNs, inode FROM localFile
                    WHERE (userId, localPath) > (?, ?) ORDER BY userId, localPath LIMIT 1000
                    """, arguments: [after?.0 ?? Int64.min, after?.1 ?? ""])
            }
            guard let last = page.last else { break }
            after = (last["userId"], last["localPath"])
            // A device's record of a file it synced is how its next sync knows the file was
            // deleted (and deletes it on the drive): only that sync forgets it.
            let gone = page.filter { row in
                let path: String = row["localPath"]
                return Self.localPathIsGone(path) && !deviceFolders.contains { path.hasPrefix($0 + "/") }
            }
            guard !gone.isEmpty else { continue }
            removed += try write("gc", "files cache") { db in
                let statement = try db.cachedStatement(sql: """
                    DELETE FROM localFile WHERE userId = ? AND localPath = ? AND mtimeNs = ? AND inode = ?
                    """)
                var count = 0
                for row in gone {
                    try statement.execute(arguments: [row["userId"], row["localPath"], row["mtimeNs"], row["inode"]])
                    count += db.changesCount
                }
                return count
            }
        }
        return removed
    }

    /// Whether nothing is at `path` any more (or a parent is not a folder); any other failure
    /// (no permission, say) keeps the record.
    static func localPathIsGone(_ path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) != 0 else { return false }
        return errno == ENOENT || errno == ENOTDIR
    }

    // MARK: Journal cursors

    /// Records that the durable journal reader `name` has handled every entry up to `seq`, so
    /// pruning keeps those after it. Moving a cursor back is allowed (a reader replaying).
    public func setJournalCursor(_ name: String, to seq: Int64) throws(DriveError) {
        guard !name.isEmpty, seq >= 0 else {
            throw DriveError(.invalidArgument, "journal cursor", name, "a cursor needs a name and a sequence number ≥ 0")
        }
        let now = clock().timeIntervalSince1970
        try write("journal cursor", name) { db in
            try db.execute(sql: """
                INSERT INTO journalCursor (name, seq, updatedAt) VALUES (?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, updatedAt = excluded.updatedAt
                """, arguments: [name, seq, now])
        }
    }

    /// Forgets the journal reader `name`; absent names are ignored.
    public func removeJournalCursor(_ name: String) throws(DriveError) {
        try write("journal cursor", name) { db in
            try db.execute(sql: "DELETE FROM journalCursor WHERE name = ?", arguments: [name])
        }
    }

    /// Every registered journal reader and the last sequence number it has handled.
    public func journalCursors() throws(DriveError) -> [String: Int64] {
        try read("journal cursor", "") { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, seq FROM journalCursor").map { row in
                (row["name"] as String, row["seq"] as Int64)
            })
        }
    }
}
