#if canImport(Glibc)
import Glibc
#endif
import Blocks
import Foundation
import GRDB

/// What a get wrote.
public struct GetReport: Sendable, Equatable {
    public var files = 0
    public var folders = 0
    public var bytesWritten: Int64 = 0
    /// The local path the drive path became.
    public var destination = ""
}

extension DriveSession {
    /// Writes the file or folder at drive path `path` to the local path `local` (default
    /// `./<name>`). Refuses to replace anything local unless `force`; every file is written to a
    /// temporary name, synced and renamed into place, never outside `local` (invariant 7). A
    /// link version becomes a symbolic link to its target, made the same way (so a file or link
    /// already there is replaced, never written through).
    @discardableResult
    public func get(_ path: String, to local: String? = nil, version: Int? = nil, force: Bool = false,
                    options: TransferOptions = .init()) throws(DriveError) -> GetReport {
        // Shared store lock from the metadata read to the last block: garbage collection cannot
        // sweep or move a block of the chosen version meanwhile.
        try drive.lock.shared { () throws(DriveError) -> GetReport in
            try lockedGet(path, to: local, version: version, force: force, options: options)
        }
    }

    private func lockedGet(_ path: String, to local: String?, version: Int?, force: Bool,
                           options: TransferOptions) throws(DriveError) -> GetReport {
        let drivePath = try parsePath(path, "get")
        let (item, files, folders) = try drive.read("get", drivePath.description) { db in
            let item = try resolve(db, drivePath, "get")
            if item.isFolder {
                if version != nil { throw DriveError(.invalidArgument, "get", drivePath.description, "--version applies to files, not folders") }
                let (files, folders) = try tree(db, item)
                return (item, files, folders)
            }
            let chosen = try self.version(db, item, number: version, drivePath, "get")
            return (item, [DownloadFile(components: [], blocks: try blockList(db, chosen.id!), size: chosen.size,
                                        modifiedAt: chosen.createdAt, version: chosen.id!, linkTarget: chosen.linkTarget)], [])
        }
        if drivePath.isRoot && local == nil {
            throw DriveError(.invalidArgument, "get", "/", "the root folder needs a local destination", hint: "cairn get / LOCAL")
        }
        let target = Self.absolute(local ?? item.name)
        var report = GetReport(destination: target)
        // Kept outside the `do` so that a failure discards the staging folder only while it is
        // one: `write` forgets it once it is renamed into place.
        var writer: Download?
        do {
            let exists = try checkTarget(target, isFolder: item.isFolder, force: force, drivePath)
            // A folder where nothing is yet is written whole in a staging folder and renamed
            // into place once (no temporary name and rename per file); anything else file by file.
            writer = item.isFolder && !exists ? try Download.staged(drive: drive, root: target, options: options)
                                              : Download(drive: drive, root: target, options: options)
            writer!.progress.filesTotal = files.count
            writer!.progress.bytesTotal = files.reduce(0) { $0 + $1.size }
            if item.isFolder {
                try writer!.makeFolder([])
                for folder in folders { try writer!.makeFolder(folder) }
                report.folders = folders.count + 1
            }
            try writer!.write(files)
            try recordLocalFiles(writer!.written, versions: writer!.writtenVersions)
            report.files = files.count
            report.bytesWritten = writer!.progress.bytesDone
        } catch {
            writer?.discardStaging()
            throw DriveError.wrapRead(error, "get", drivePath.description)
        }
        return report
    }

    /// Records written files in the files cache, so a later put knows which version each local
    /// copy started from (and refuses an edit of a copy that is no longer the head).
    func recordLocalFiles(_ entries: [LocalEntry], versions: [Int64]) throws {
        guard !entries.isEmpty else { return }
        try drive.write("get", entries[0].path) { db in
            let statement = try db.cachedStatement(sql: Self.recordLocalFileSQL)
            for (entry, version) in zip(entries, versions) {
                try statement.execute(arguments: [userID, entry.path, entry.size, entry.mtimeNs, entry.inode, version])
            }
        }
    }

    /// Records (or replaces) the files cache's entry of one local file: userId, localPath, size,
    /// mtimeNs, inode, versionId.
    static let recordLocalFileSQL = """
        INSERT INTO localFile (userId, localPath, size, mtimeNs, inode, versionId) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(userId, localPath) DO UPDATE SET size = excluded.size, mtimeNs = excluded.mtimeNs,
            inode = excluded.inode, versionId = excluded.versionId
        """

    /// The version `number` of file `item` (its head when nil).
    func version(_ db: Database, _ item: Item, number: Int?, _ path: DrivePath, _ operation: String) throws -> Version {
        let found: Version?
        if let number {
            found = try Version.filter(Column("itemId") == item.id && Column("number") == number).fetchOne(db)
        } else {
            found = try item.headVersionId.flatMap { try Version.fetchOne(db, key: $0) }
        }
        guard let found else {
            throw DriveError(.notFound, operation, path.description, number.map { "there is no version \($0)" } ?? "the file has no content",
                             hint: "see 'cairn log \(path)'")
        }
        return found
    }

    func blockList(_ db: Database, _ version: Int64) throws -> [WrittenBlock] {
        try Self.blockList(db, version)
    }

    /// The ordered blocks of version `version` (immutable once committed). The statement is
    /// prepared once per connection: a folder get asks for one list per file, and preparing
    /// (with GRDB's authorizer) took more time than the reading.
    static func blockList(_ db: Database, _ version: Int64) throws -> [WrittenBlock] {
        let statement = try db.cachedStatement(sql: "SELECT blockId, length FROM versionBlock WHERE versionId = ? ORDER BY seq")
        return try Row.fetchAll(statement, arguments: [version])
            .map { row in
                guard let id = BlockID(bytes: row[0]) else { throw DriveError(.corrupted, "get", "version \(version)", "bad block id") }
                return WrittenBlock(id: id, length: row[1], isNew: false)
            }
    }

    /// Every live item below the folder given as the one argument: id, kind, rel (the path
    /// relative to the folder), head, size, modifiedAt and the head's linkTarget, by rel.
    static let subtreeSQL = """
        WITH RECURSIVE below(id, kind, rel, head, size, modifiedAt) AS (
            SELECT id, kind, name, headVersionId, size, modifiedAt FROM item WHERE parentId = ? AND trashedAt IS NULL
            UNION ALL
            SELECT item.id, item.kind, below.rel || '/' || item.name, item.headVersionId, item.size, item.modifiedAt
            FROM item JOIN below ON item.parentId = below.id WHERE item.trashedAt IS NULL
        ) SELECT below.*, version.linkTarget FROM below LEFT JOIN version ON version.id = below.head ORDER BY rel
        """

    /// Every live file and folder below `folder`, with names relative to it. Block lists are not
    /// loaded here: the writer loads them a group at a time (`DownloadFile.version` pins which).
    func tree(_ db: Database, _ folder: Item) throws -> ([DownloadFile], [[String]]) {
        // Columns by index (id, kind, rel, head, size, modifiedAt, linkTarget): by name, GRDB
        // lowercases the name at every lookup (0.1 s of CPU for a 38,000-file tree).
        let rows = try Row.fetchCursor(db, sql: Self.subtreeSQL, arguments: [folder.id])
        var files: [DownloadFile] = []
        var folders: [[String]] = []
        while let row = try rows.next() {
            let components = (row[2] as String).split(separator: "/").map(String.init)
            if row[1] as String == "folder" {
                folders.append(components)
            } else if let head = row[3] as Int64? {
                files.append(DownloadFile(components: components, blocks: nil, size: row[4],
                                          modifiedAt: Date(timeIntervalSince1970: row[5]), version: head,
                                          linkTarget: row[6]))
            }
        }
        return (files, folders)
    }

    /// Refuses to replace a local file or folder unless forced, and never a folder by a file;
    /// returns whether something is at `target`.
    func checkTarget(_ target: String, isFolder: Bool, force: Bool, _ drivePath: DrivePath) throws -> Bool {
        try LocalTree.checkNoNul(target, "get")
        let parent = (target as NSString).deletingLastPathComponent
        var st = stat()
        guard stat(parent, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
            throw DriveError(.notFound, "get", target, "the local folder \(parent) does not exist")
        }
        guard lstat(target, &st) == 0 else { return false }
        let mode = st.st_mode & S_IFMT
        if !force {
            throw DriveError(.alreadyExists, "get", target, "a local \(mode == S_IFDIR ? "folder" : "file") is there", hint: "pass --force to replace it")
        }
        if isFolder && mode != S_IFDIR {
            throw DriveError(.alreadyExists, "get", target, "a local file is there; a folder cannot replace it")
        }
        if !isFolder && mode == S_IFDIR {
            throw DriveError(.alreadyExists, "get", target, "a local folder is there; a file cannot replace it")
        }
        return true
    }
}

extension DriveError {
    /// Like `wrap`, but a block that is missing or damaged says how to repair it: the read has
    /// quarantined it, so putting the original file again stores a good copy.
    static func wrapRead(_ error: any Error, _ operation: String, _ subject: String) -> DriveError {
        var wrapped = wrap(error, operation, subject)
        switch error as? BlockError {
        case .missing?, .corrupted?: wrapped.hint = Drive.repairHint
        default: break
        }
        return wrapped
    }
}
