#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB

/// What a device's sync asks of the drive: the one seam between the sync (which reads the device
/// folder, compares it with what the device last synced and with the drive, and decides what
/// changed where, what is a move, what is a conflict) and the store. Every call names whole
/// steps, as a network protocol would: the changes after a cursor, the tree below a folder, files
/// sent (their blocks offered, only those the drive lacks stored, each file committed with the
/// version it was edited from), moves and deletions, files received (their blocks fetched and
/// written into the device folder), and the device's own records.
///
/// `LocalDriveLink` answers in process, over a session on the store; a client of a Cairn server
/// answering the same calls over HTTP would let a device on another machine sync (it would keep
/// the device's records in a database of its own).
protocol DriveLink: Sendable {
    /// The changes this user can see at or below the device's drive folder after journal entry
    /// `cursor`, paths relative to the device folder.
    func changes(_ device: Device, after cursor: Int64) throws -> [(seq: Int64, kind: ChangeKind, path: String)]
    /// The device's record of what it last synced: each file by path relative to its folder,
    /// with the version it is a copy of and its size, mtime and inode then; and its folders.
    func syncedState(_ device: Device) throws -> ([String: SyncedFile], Set<String>)
    /// Makes the drive folder `root` (and its parents) when it is missing.
    func makeFolder(_ root: DrivePath) throws
    /// The live items below the drive folder `root` that `rules` do not ignore, by relative path.
    func tree(_ root: DrivePath, _ rules: IgnoreRules) throws -> [String: RemoteEntry]
    /// Whether this user may change what is below `root` (the editor role, or owning it).
    func canWrite(_ root: DrivePath) throws -> Bool
    /// Sends local files (found below the device folder) to their places below `root` and makes
    /// `folders`: blocks are offered and only those the drive lacks are stored, then each file is
    /// committed with the version the device last synced of it as its base. An edit from a base
    /// that is no longer the head is kept as a conflict version; a new file where another is
    /// already, with other bytes, is a conflict with no base; the same bytes are never a conflict.
    func send(_ files: [LocalEntry], folders: [DrivePath], below root: DrivePath, options: TransferOptions) throws -> SentFiles
    /// Local moves and deletions, in one step: a file moved on the drive when the drive still has
    /// the version moved, a deleted one to the trash when the drive still has the version deleted
    /// (else the drive's edit stays), a deleted folder to the trash once empty; the device's
    /// records follow.
    func apply(_ device: Device, below root: DrivePath, moves: [(from: SyncedFile, to: LocalEntry)], deletions: [SyncedFile],
               goneFolders: Set<String>) throws -> (moved: Int, trashed: Int)
    /// Fetches the files' blocks and writes each into the device folder at a temporary name,
    /// renamed into place only if `mayReplace` says so right before; each file's record is
    /// written as soon as its rename is durable.
    func receive(_ files: [RemoteEntry], into device: Device, options: TransferOptions,
                 mayReplace: @escaping @Sendable (String) -> Bool) throws -> ReceivedFiles
    /// What a pull did in the device folder, recorded: records of files gone, files moved
    /// (local path before, and the file now), folders there, folders gone.
    func recordPull(_ device: Device, forget: [String], moved: [(from: String, to: LocalEntry)], folders: [String],
                    goneFolders: [String]) throws
    /// Records how a sync ended: when it finished and how many entries it skipped, or its error.
    func recordSync(_ device: Device, error: String?, skipped: Int?) throws
}

/// What `DriveLink.send` did.
struct SentFiles {
    /// Files committed as new heads.
    var stored = 0
    /// Drive paths of files kept as conflict versions.
    var conflicts: [String] = []
    var bytesRead: Int64 = 0
    var newBlocks = 0
    var foldersMade = 0
}

/// What `DriveLink.receive` did.
struct ReceivedFiles {
    /// Files renamed into place.
    var written = 0
    /// Files not renamed: the local file changed since it was looked at.
    var declined = 0
    var bytes: Int64 = 0
}

/// The drive in this process: a session on the store (acting for the device, whose name its
/// journal entries and conflicts carry). The device's records are in the store's `localFile`
/// and `deviceFolder` tables, so the put/get conflict checks and the version cap see them.
struct LocalDriveLink: DriveLink {
    let session: DriveSession

    private var drive: Drive { session.drive }
    private var userID: Int64 { session.userID }

    func changes(_ device: Device, after cursor: Int64) throws -> [(seq: Int64, kind: ChangeKind, path: String)] {
        try session.deviceChanges(device, after: cursor)
    }

    func syncedState(_ device: Device) throws -> ([String: SyncedFile], Set<String>) {
        let prefix = device.folder + "/"
        let userID = userID
        return try drive.read("sync", device.name) { db -> ([String: SyncedFile], Set<String>) in
            let rows = try Row.fetchAll(db, sql: """
                SELECT localFile.localPath, localFile.size, localFile.mtimeNs, localFile.inode, localFile.versionId, version.itemId
                FROM localFile JOIN version ON version.id = localFile.versionId
                WHERE localFile.userId = ? AND localFile.localPath > ? AND localFile.localPath < ?
                """, arguments: [userID, prefix, device.folder + "0"])
            var synced: [String: SyncedFile] = [:]
            synced.reserveCapacity(rows.count)
            for row in rows {
                // By position: by name, decoding was a tenth of a no-change sync.
                let path: String = row[0]
                let key = SyncSides.key(path: path, prefix: prefix.utf8.count)
                synced[key] = SyncedFile(rel: key, localPath: path, version: row[4], item: row[5],
                                         size: row[1], mtimeNs: row[2], inode: row[3])
            }
            let folders = Set(try String.fetchAll(db, sql: "SELECT path FROM deviceFolder WHERE deviceId = ?", arguments: [device.id]))
            return (synced, folders)
        }
    }

    func makeFolder(_ root: DrivePath) throws {
        if try drive.read("sync", root.description, { db in try session.lookup(db, root) }) == nil {
            try session.makeFolder(root.description, parents: true)
        }
    }

    func tree(_ root: DrivePath, _ rules: IgnoreRules) throws -> [String: RemoteEntry] {
        try drive.read("sync", root.description) { db in
            guard let top = try session.lookup(db, root) else { return [:] }
            guard top.isFolder else {
                throw DriveError(.invalidArgument, "sync", root.description, "a file, not a folder", hint: "bind the device to a folder")
            }
            let rows = try Row.fetchAll(db, sql: DriveSession.subtreeSQL, arguments: [top.id])
            var tree: [String: RemoteEntry] = [:]
            tree.reserveCapacity(rows.count)
            var ignoredFolders: [String] = []
            for row in rows {
                // Columns by position (see `subtreeSQL`): id, kind, rel, head, size, modifiedAt, linkTarget.
                let rel: String = row[2]
                let isFolder = row[1] as String == "folder"
                // By rel, a folder comes before what is in it ("a" < "a/b", '/' sorts low).
                if ignoredFolders.contains(where: { rel.hasPrefix($0 + "/") }) { continue }
                if rules.ignores(path: rel, isFolder: isFolder) {
                    if isFolder { ignoredFolders.append(rel) }
                    continue
                }
                tree[rel] = RemoteEntry(rel: rel, item: row[0], isFolder: isFolder, head: row[3], size: row[4],
                                        modifiedAt: Date(timeIntervalSince1970: row[5]), linkTarget: row[6])
            }
            return tree
        }
    }

    func canWrite(_ root: DrivePath) throws -> Bool {
        try drive.read("sync", root.description) { db -> Bool in
            guard let top = try session.lookup(db, root) else { return false }
            return (try? session.require(.editor, db, top, root, "sync")) != nil
        }
    }

    func send(_ files: [LocalEntry], folders: [DrivePath], below root: DrivePath, options: TransferOptions) throws -> SentFiles {
        var upload = Upload(session: session, options: options, destination: root)
        upload.onStale = .keepConflict
        upload.expectsNew = true
        defer {
            upload.committer.waitForAll()
            try? upload.writer.drain()
            try? drive.blocks.seal()
        }
        upload.pendingFolders = folders
        if !files.isEmpty {
            let owner = try drive.read("sync", root.description) { db in try session.lookup(db, root)?.ownerId } ?? userID
            try drive.checkQuota(owner: owner, adding: files.reduce(0) { $0 + $1.size }, "sync", root.description)
        }
        for entry in files {
            try upload.putFile(entry, at: Upload.destination(of: entry, below: root))
        }
        try upload.finish()
        return SentFiles(stored: upload.report.filesStored, conflicts: upload.report.conflicts.map(\.description),
                         bytesRead: upload.report.bytesRead, newBlocks: upload.report.newBlocks,
                         foldersMade: upload.report.foldersCreated)
    }

    func apply(_ device: Device, below root: DrivePath, moves: [(from: SyncedFile, to: LocalEntry)], deletions: [SyncedFile],
               goneFolders: Set<String>) throws -> (moved: Int, trashed: Int) {
        let userID = userID
        return try drive.write("sync", root.description) { db -> (moved: Int, trashed: Int) in
            var moved = 0, trashed = 0
            var folders = KnownFolders()
            for (from, to) in moves {
                let dest = Upload.destination(of: to, below: root)
                guard var item = try DriveSession.item(db, id: from.item), item.trashedAt == nil, item.headVersionId == from.version,
                      try session.lookup(db, dest) == nil else { continue }
                let parent = try session.folder(db, dest.parent, known: &folders).item
                guard parent.ownerId == item.ownerId else { continue }
                let oldParent = item.parentId
                item.parentId = parent.id
                item.name = dest.name
                item.modifiedAt = drive.clock()
                try item.update(db)
                folders.made(dest.name, in: parent.id!)
                try session.journal(db, .moved, dest, item: item.id, oldParent: oldParent, newParent: parent.id,
                                    detail: root.appending(path: from.rel).description)
                try db.execute(sql: """
                    UPDATE localFile SET localPath = ?, size = ?, mtimeNs = ?, inode = ? WHERE userId = ? AND localPath = ?
                    """, arguments: [to.path, to.size, to.mtimeNs, to.inode, userID, from.localPath])
                moved += 1
            }
            for file in deletions {
                if let item = try DriveSession.item(db, id: file.item), item.trashedAt == nil, item.headVersionId == file.version {
                    let path = try session.path(of: file.item, db)
                    try session.require(.editor, db, item, path, "sync")
                    try session.trash(db, item, path)
                    trashed += 1
                }
                // An edit on the drive since wins over the deletion: it comes down again.
                try db.execute(sql: "DELETE FROM localFile WHERE userId = ? AND localPath = ?", arguments: [userID, file.localPath])
            }
            // Deepest first, so that a parent is empty once its children went.
            for rel in goneFolders.sorted(by: >) {
                if let folder = try session.lookup(db, root.appending(path: rel)), folder.isFolder,
                   try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item WHERE parentId = ? AND trashedAt IS NULL", arguments: [folder.id]) == 0 {
                    try session.trash(db, folder, root.appending(path: rel))
                    trashed += 1
                }
                try db.execute(sql: "DELETE FROM deviceFolder WHERE deviceId = ? AND path = ?", arguments: [device.id, rel])
            }
            return (moved, trashed)
        }
    }

    func receive(_ files: [RemoteEntry], into device: Device, options: TransferOptions,
                 mayReplace: @escaping @Sendable (String) -> Bool) throws -> ReceivedFiles {
        let downloads = files.map { entry in
            DownloadFile(components: entry.rel.split(separator: "/").map(String.init), blocks: nil, size: entry.size,
                         modifiedAt: entry.modifiedAt, version: entry.head!, linkTarget: entry.linkTarget)
        }
        var writer = Download(drive: drive, root: device.folder, options: options, mayReplace: mayReplace)
        writer.progress.filesTotal = downloads.count
        writer.progress.bytesTotal = downloads.reduce(0) { $0 + $1.size }
        let userID = userID
        let store = drive
        let folder = device.folder
        writer.renamed = { entries, versions in
            try store.write("sync", folder) { db in
                let record = try db.cachedStatement(sql: DriveSession.recordLocalFileSQL)
                for (entry, version) in zip(entries, versions) {
                    try record.execute(arguments: [userID, entry.path, entry.size, entry.mtimeNs, entry.inode, version])
                }
            }
        }
        try writer.write(downloads)
        return ReceivedFiles(written: writer.written.count, declined: writer.declined.count, bytes: writer.progress.bytesDone)
    }

    func recordPull(_ device: Device, forget: [String], moved: [(from: String, to: LocalEntry)], folders: [String],
                    goneFolders: [String]) throws {
        let userID = userID
        try drive.write("sync", device.name) { db in
            for path in forget {
                try db.execute(sql: "DELETE FROM localFile WHERE userId = ? AND localPath = ?", arguments: [userID, path])
            }
            let record = try db.cachedStatement(sql: DriveSession.recordLocalFileSQL)
            for (from, to) in moved {
                let version = try Int64.fetchOne(db, sql: "SELECT versionId FROM localFile WHERE userId = ? AND localPath = ?",
                                                 arguments: [userID, from])
                if let version { try record.execute(arguments: [userID, to.path, to.size, to.mtimeNs, to.inode, version]) }
            }
            for rel in goneFolders {
                try db.execute(sql: "DELETE FROM deviceFolder WHERE deviceId = ? AND path = ?", arguments: [device.id, rel])
            }
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO deviceFolder (deviceId, path) VALUES (?, ?)")
            for rel in folders { try insert.execute(arguments: [device.id, rel]) }
        }
    }

    func recordSync(_ device: Device, error: String?, skipped: Int?) throws {
        let now = drive.clock().timeIntervalSince1970
        try drive.write("sync", device.name) { db in
            if let error {
                try db.execute(sql: "UPDATE device SET lastError = ? WHERE id = ?", arguments: [error, device.id])
            } else {
                try db.execute(sql: "UPDATE device SET lastSyncAt = ?, lastError = NULL, skipped = ? WHERE id = ?",
                               arguments: [now, skipped ?? 0, device.id])
            }
        }
    }
}
