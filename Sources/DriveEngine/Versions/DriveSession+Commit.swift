import Blocks
import Foundation
import GRDB

/// The metadata side of storing a file: what a put, a restore or a sync hands to one transaction
/// once every block it names is durable (invariant 1).
struct FileCommit: Sendable {
    var dest: DrivePath
    var blocks: [WrittenBlock]
    var size: Int64
    /// The head version the writer started from; a different head means a conflict.
    var base: Int64?
    var restoredFrom: Int?
    var local: LocalEntry?
    var uploadSession: Int64?
    /// What to do with a locally edited file whose base is no longer the head.
    var onStale = StaleEdit.refuse
    /// For a conflict's resolution: the conflict version it settles (written even when its
    /// content is the head's, as every resolution is a version).
    var mergedFrom: Int64?
    /// Make a new file in this folder item, whatever `dest`'s parent is (the caller checked the
    /// role): a conflict's copy goes beside the file in its owner's folder.
    var parentItem: Int64?
    /// Set for a symbolic link (then `blocks` is empty and `size` 0): its target.
    var linkTarget: String?
    /// The writer had no copy of the file at `dest` (a device's new local file): another file
    /// already there with other content is not replaced but, with `onStale` `.keepConflict`,
    /// kept as a conflict version with no common base.
    var expectsNew = false
}

/// What a put does with a local file edited from a version that is no longer the head (another
/// writer got there first).
public enum StaleEdit: Sendable, Equatable {
    /// Refuse it, changing nothing (the default: nobody's change is silently replaced).
    case refuse
    /// Keep it as a conflict version beside the head (the first writer stays the head) for a
    /// person to resolve (`put --keep-conflict`).
    case keepConflict
    /// Make it the head anyway (`put --force`).
    case replace
}

/// What a commit did to a file.
public enum CommitOutcome: Sendable, Equatable {
    case created(Version)
    case updated(Version)
    case unchanged(Version)
    /// Kept as a conflict version; the head did not move.
    case conflicted(Version)

    public var version: Version {
        switch self { case .created(let v), .updated(let v), .unchanged(let v), .conflicted(let v): v }
    }
}

extension DriveSession {
    /// Writes the version for `commit`; creates missing parent folders. Call inside a write.
    func commit(_ db: Database, _ commit: FileCommit, folders: inout KnownFolders) throws -> CommitOutcome {
        let operation = commit.restoredFrom == nil ? "put" : "restore"
        let dest = commit.dest
        try Self.checkNotReserved(dest, operation)
        let now = drive.clock()
        let ids = commit.blocks.map(\.id)
        let digest = fileDigest(of: ids).bytes

        let parent: Item
        if let parentID = commit.parentItem, let beside = try Self.item(db, id: parentID) {
            parent = beside
        } else if isShareRoot(dest) {
            // A file shared directly: its folder is the owner's, out of this user's sight.
            guard let shared = try lookup(db, dest), let parentID = shared.parentId, let real = try Self.item(db, id: parentID) else {
                throw DriveError(.notFound, operation, dest.description, "no such file or folder")
            }
            parent = real
        } else {
            parent = try folder(db, dest.parent, known: &folders).item
        }
        var item: Item
        var trueBase: Int64?
        var outcome: (Version) -> CommitOutcome = CommitOutcome.updated
        let assumed = folders.assumesAbsent(dest.name, in: parent.id!)
        if !assumed, let existing = try Self.child(db, of: parent.id!, named: dest.name) {
            guard !existing.isFolder else {
                throw DriveError(.invalidArgument, operation, dest.description, "a folder is there; a file cannot replace it")
            }
            item = existing
            try require(.editor, db, existing, dest, operation)
            // The version the writer edited from: the files cache's record of the local copy
            // when it is a copy of this file (even a stale one put with --force), else the head.
            if commit.restoredFrom == nil, let local = commit.local, let base = try localBase(db, local), base.itemID == existing.id {
                trueBase = base.versionID
            }
            if let base = commit.base, base != existing.headVersionId {
                throw DriveError(.conflict, operation, dest.description, "the file changed since version \(base) was read",
                                 hint: "get the latest version and apply the change again")
            }
            if let headID = existing.headVersionId, let head = try Version.fetchOne(db.cachedStatement(sql: "SELECT * FROM version WHERE id = ?"), arguments: [headID]),
               head.digest == digest, SymbolicLink.same(head.linkTarget, commit.linkTarget), commit.restoredFrom == nil,
               commit.mergedFrom == nil {
                try finish(db, commit, version: head)
                return .unchanged(head)
            }
            // Put checks this before reading the file too (see `Upload.refuseStaleBases`); this
            // catches a head that moved on while the blocks were being written.
            if commit.onStale != .replace, let local = commit.local, let base = try localBase(db, local) {
                // A local copy of a conflict version, untouched: it is that version, not an edit.
                if base.itemID == existing.id, !base.edited, base.isConflict,
                   let kept = try Version.fetchOne(db, sql: "SELECT * FROM version WHERE id = ?", arguments: [base.versionID]) {
                    return .unchanged(kept)
                }
                let stale = base.staleNumber(for: existing)
                // The bytes of a version of this file already (a copy renamed into place whose
                // record a killed get or sync never wrote): that version, not an edit.
                if stale != nil, let same = try Version.fetchOne(db, sql: """
                    SELECT * FROM version WHERE itemId = ? AND digest = ? AND linkTarget IS ? ORDER BY number DESC LIMIT 1
                    """, arguments: [existing.id, digest, commit.linkTarget]) {
                    try finish(db, commit, version: same)
                    return .unchanged(same)
                }
                if stale != nil || base.replaces(existing, at: dest) {
                    guard commit.onStale == .keepConflict else {
                        throw try stale.map { try staleBaseConflict(db, local, editedFrom: $0, item: existing, dest, operation) }
                            ?? replacedBaseConflict(local, dest, operation)
                    }
                    return .conflicted(try keepConflict(db, commit, item: existing, base: stale == nil ? nil : base.versionID,
                                                        digest: digest, dest))
                }
            } else if commit.expectsNew, commit.onStale == .keepConflict, existing.headVersionId != nil, let local = commit.local,
                      try localBase(db, local) == nil {
                return .conflicted(try keepConflict(db, commit, item: existing, base: nil, digest: digest, dest))
            }
        } else {
            if commit.parentItem == nil { try require(.editor, db, parent, dest.parent, operation) }
            item = Item(id: nil, parentId: parent.id, ownerId: parent.ownerId, name: dest.name, kind: .file, createdAt: now,
                        modifiedAt: now, modifiedBy: userID, headVersionId: nil, size: 0, versionCount: 0)
            do {
                try db.cachedStatement(sql: """
                    INSERT INTO item (parentId, ownerId, name, kind, createdAt, modifiedAt, modifiedBy, size, versionCount)
                    VALUES (?, ?, ?, 'file', ?, ?, ?, 0, 0)
                    """).run {
                        $0.add(parent.id); $0.add(parent.ownerId); $0.add(dest.name); $0.add(now.timeIntervalSince1970)
                        $0.add(now.timeIntervalSince1970); $0.add(userID)
                    }
            } catch where assumed && KnownFolders.isTakenName(error) {
                // Another process made this name since the folder was made: the general way.
                folders.distrust(parent.id!)
                return try self.commit(db, commit, folders: &folders)
            }
            item.id = db.lastInsertedRowID
            folders.made(dest.name, in: parent.id!)
            outcome = CommitOutcome.created
        }
        // A resolution's base is the head it replaces, whatever the local copy was.
        let base = commit.mergedFrom == nil ? trueBase ?? item.headVersionId : item.headVersionId
        let version = try insertVersion(db, commit, item: item.id!, digest: digest, base: base, state: "committed", at: now,
                                        firstOfItem: item.versionCount == 0 && item.headVersionId == nil)
        try db.cachedStatement(sql: """
            UPDATE item SET headVersionId = ?, size = ?, modifiedAt = ?, modifiedBy = ?, versionCount = versionCount + 1 WHERE id = ?
            """).run {
                $0.add(version.id); $0.add(commit.size); $0.add(now.timeIntervalSince1970); $0.add(userID); $0.add(item.id)
            }
        // The local copy's record first: it names the new version now, so the cap may drop the
        // one it named before.
        try finish(db, commit, version: version)
        // A first version is the head, which the cap never drops: no need to read the cap.
        if item.versionCount > 0, item.versionCount + 1 > (try drive.versionCap(db)) { try applyVersionCap(db, item: item.id!) }
        if commit.mergedFrom == nil {
            try journal(db, commit.restoredFrom == nil ? .versionAdded : .restored, dest, item: item.id, version: version.id,
                        amount: commit.restoredFrom.map(Int64.init), detail: commit.restoredFrom.map { "from version \($0)" },
                        known: (owner: item.ownerId, versionNumber: version.number))
        }
        return outcome(version)
    }

    /// Inserts version `number + 1` of `item` with the commit's blocks; the item is not changed.
    /// `firstOfItem`: the item was made in this transaction and has no version yet (number 1, no query).
    private func insertVersion(_ db: Database, _ commit: FileCommit, item: Int64, digest: Data, base: Int64?, state: String,
                               at now: Date, firstOfItem: Bool = false) throws -> Version {
        let number = firstOfItem ? 1
            : (try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(number) FROM version WHERE itemId = ?"), arguments: [item]) ?? 0) + 1
        var version = Version(id: nil, itemId: item, number: number, size: commit.size, digest: digest, authorId: userID,
                              createdAt: now, baseVersionId: base, restoredFrom: commit.restoredFrom, state: state, pinned: false,
                              blockCount: commit.blocks.count, newBlocks: commit.blocks.filter(\.isNew).count,
                              mergedFrom: commit.mergedFrom, linkTarget: commit.linkTarget)
        try db.cachedStatement(sql: """
            INSERT INTO version (itemId, number, size, digest, authorId, createdAt, baseVersionId, restoredFrom, state, pinned,
                                 blockCount, newBlocks, mergedFrom, linkTarget)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
            """).run {
                $0.add(item); $0.add(number); $0.add(version.size); $0.add(digest); $0.add(userID); $0.add(now.timeIntervalSince1970)
                $0.add(base); $0.add(version.restoredFrom); $0.add(state); $0.add(version.blockCount); $0.add(version.newBlocks)
                $0.add(version.mergedFrom); $0.add(version.linkTarget)
            }
        version.id = db.lastInsertedRowID
        let insert = try db.cachedStatement(sql: "INSERT INTO versionBlock (versionId, seq, blockId, length) VALUES (?, ?, ?, ?)")
        for (seq, block) in commit.blocks.enumerated() {
            try insert.run { $0.add(version.id); $0.add(seq); $0.add(block.id.bytes); $0.add(block.length) }
        }
        return version
    }

    /// Keeps a write from a stale `base` as a conflict version of `item`: the head stays (the
    /// first writer wins), the conflict is recorded for a person to resolve and journaled so
    /// the people on the file hear of it. The same bytes as an open conflict's are that conflict.
    private func keepConflict(_ db: Database, _ commit: FileCommit, item: Item, base: Int64?, digest: Data,
                              _ dest: DrivePath) throws -> Version {
        if let same = try Version.fetchOne(db, sql: """
            SELECT version.* FROM conflict JOIN version ON version.id = conflict.versionId
            WHERE conflict.itemId = ? AND conflict.resolvedAt IS NULL AND version.digest = ? AND version.linkTarget IS ?
            """, arguments: [item.id, digest, commit.linkTarget]) {
            try finish(db, commit, version: same)
            return same
        }
        let now = drive.clock()
        let version = try insertVersion(db, commit, item: item.id!, digest: digest, base: base, state: Version.conflictState, at: now)
        try db.execute(sql: "UPDATE item SET versionCount = versionCount + 1 WHERE id = ?", arguments: [item.id])
        try db.execute(sql: """
            INSERT INTO conflict (itemId, versionId, headVersionId, baseVersionId, userId, device, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [item.id, version.id, item.headVersionId, base, userID, device, now.timeIntervalSince1970])
        try finish(db, commit, version: version)
        let head = try Int.fetchOne(db, sql: "SELECT number FROM version WHERE id = ?", arguments: [item.headVersionId]) ?? 0
        try journal(db, .conflict, dest, item: item.id, version: version.id, amount: Int64(head),
                    detail: "kept as a conflict of version \(head)")
        return version
    }

    /// What the files cache says about a local file: which version of which item it was got or
    /// put as, where that item went if it was deleted, and whether the file changed since.
    private struct LocalBase {
        var itemID: Int64
        var versionID: Int64
        var number: Int
        var trashedPath: String?
        var edited: Bool
        /// The version is a conflict version.
        var isConflict = false

        /// The version the file was edited from, when that is an older version of `item`.
        func staleNumber(for item: Item) -> Int? {
            itemID == item.id && versionID != item.headVersionId && edited ? number : nil
        }

        /// Whether the file was edited from another file that was at `dest` and is in the trash
        /// now (`trashedPath` is set only while it is there), `item` having taken its path.
        func replaces(_ item: Item, at dest: DrivePath) -> Bool {
            itemID != item.id && trashedPath == dest.description && edited
        }
    }

    private func localBase(_ db: Database, _ local: LocalEntry) throws -> LocalBase? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT localFile.versionId, localFile.size, localFile.mtimeNs, localFile.inode, version.itemId, version.number,
                   version.state, based.trashedPath
            FROM localFile JOIN version ON version.id = localFile.versionId JOIN item AS based ON based.id = version.itemId
            WHERE localFile.userId = ? AND localFile.localPath = ?
            """), arguments: [userID, local.path]).map { row in
            let untouched = row["size"] as Int64 == local.size && row["mtimeNs"] as Int64 == local.mtimeNs
                && row["inode"] as Int64 == local.inode
            return LocalBase(itemID: row["itemId"], versionID: row["versionId"], number: row["number"],
                             trashedPath: row["trashedPath"], edited: !untouched,
                             isConflict: row["state"] as String == Version.conflictState)
        }
    }

    /// The version number a locally edited file started from, when that is no longer the head:
    /// the files cache says which version of `item` this local file was got or put as, and the
    /// file changed since (a stale base). Nil when there is no such record or nothing is stale.
    func staleBase(_ db: Database, _ local: LocalEntry, item: Item) throws -> Int? {
        try localBase(db, local)?.staleNumber(for: item)
    }

    /// Whether `local` was got or put as a version of another file that was at `dest` and has
    /// been deleted since (`item` is a new file at that path), and was edited after: putting it
    /// would silently replace a file it was never based on.
    func replacedBase(_ db: Database, _ local: LocalEntry, item: Item, _ dest: DrivePath) throws -> Bool {
        try localBase(db, local)?.replaces(item, at: dest) ?? false
    }

    /// The conflict refusing a put of `local`, edited from a file at `dest` that was deleted since.
    func replacedBaseConflict(_ local: LocalEntry, _ dest: DrivePath, _ operation: String) -> DriveError {
        DriveError(.conflict, operation, dest.description,
                   "\(local.path) was edited from a file at \(dest) that was deleted since; \(dest) is another file now",
                   hint: "get it and apply your change again, or put --force to replace it")
    }

    /// The conflict refusing a put of `local`, edited from version `stale` of `item` at `dest`.
    func staleBaseConflict(_ db: Database, _ local: LocalEntry, editedFrom stale: Int, item: Item, _ dest: DrivePath,
                           _ operation: String) throws -> DriveError {
        let head = try Int.fetchOne(db, sql: "SELECT number FROM version WHERE id = ?", arguments: [item.headVersionId]) ?? 0
        return DriveError(.conflict, operation, dest.description,
                          "\(local.path) was edited from version \(stale), but the drive has version \(head) now",
                          hint: "get the latest version and apply your change again, or put --force to make yours the head")
    }

    /// Records the local file in the files cache and closes its upload session.
    private func finish(_ db: Database, _ commit: FileCommit, version: Version) throws {
        if let local = commit.local {
            try db.cachedStatement(sql: Self.recordLocalFileSQL).run {
                $0.add(userID); $0.add(local.path); $0.add(local.size); $0.add(local.mtimeNs); $0.add(local.inode); $0.add(version.id)
            }
        }
        if let session = commit.uploadSession {
            try db.execute(sql: "DELETE FROM uploadSession WHERE id = ?", arguments: [session])
        }
    }

    /// Drops the oldest unpinned versions beyond the store's cap; pinned ones and the head stay.
    func applyVersionCap(_ db: Database, item: Int64) throws {
        let cap = try drive.versionCap(db)
        // The cap counts unpinned versions: an unpinned head is one of them, a pinned head is not.
        let headPinned = try Bool.fetchOne(db, sql: """
            SELECT pinned FROM version WHERE id = (SELECT headVersionId FROM item WHERE id = ?)
            """, arguments: [item]) ?? false
        // A version a local copy was made from is kept too: dropping it would let an edit of that
        // copy replace the head without the conflict check (the files cache would no longer
        // know what the copy was based on). So are an open conflict's version and its base (the
        // common ancestor a merge needs).
        try db.execute(sql: """
            DELETE FROM version WHERE id IN (
                SELECT id FROM version WHERE itemId = ? AND pinned = 0
                    AND id != (SELECT headVersionId FROM item WHERE id = ?)
                ORDER BY number DESC LIMIT -1 OFFSET ?)
              AND id NOT IN (SELECT versionId FROM localFile)
              AND id NOT IN (SELECT versionId FROM conflict WHERE itemId = ? AND resolvedAt IS NULL)
              AND id NOT IN (SELECT baseVersionId FROM conflict WHERE itemId = ? AND resolvedAt IS NULL AND baseVersionId IS NOT NULL)
            """, arguments: [item, item, headPinned ? cap : max(cap - 1, 0), item, item])
        let dropped = db.changesCount
        if dropped > 0 {
            try Drive.journal(db, .versionsDropped, at: drive.clock(), actor: userID, item: item, amount: Int64(dropped))
        }
        try db.execute(sql: "UPDATE item SET versionCount = (SELECT COUNT(*) FROM version WHERE itemId = ?) WHERE id = ?",
                       arguments: [item, item])
    }
}
