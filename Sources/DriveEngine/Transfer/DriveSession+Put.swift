#if canImport(Glibc)
import Glibc
#endif
import Blocks
import Foundation
import GRDB
import SystemPackage

/// What a put did.
public struct PutReport: Sendable, Equatable {
    /// Files whose content was read and committed (new files and new versions).
    public var filesStored = 0
    /// Files read whose content was the same as their head version.
    public var filesUnchanged = 0
    /// Files skipped without reading: size and mtime matched the files cache.
    public var filesSkipped = 0
    public var foldersCreated = 0
    public var bytesRead: Int64 = 0
    public var newBlocks = 0
    public var sharedBlocks = 0
    /// Where a resumed upload continued from.
    public var resumedAt: Int64?
    /// Locally edited files kept as conflict versions beside their heads (`StaleEdit.keepConflict`).
    public var conflicts: [DrivePath] = []
    /// Local entries that are not regular files, folders or links (devices, sockets, pipes), and
    /// links whose target is not UTF-8 text: not stored.
    public var skippedPaths: [String] = []
    /// What a get or sync killed midway left (`.NAME.cairn-XXXX.tmp`: a half-written file, or a
    /// whole hidden staging folder): not stored.
    public var temporaryPaths: [String] = []
    /// The drive path the local file or folder became.
    public var destination = DrivePath.root
}

extension DriveSession {
    /// Files at least this large go through a resumable upload session.
    static let resumableThreshold: Int64 = 32 << 20
    /// A resumable upload records its progress every this many bytes.
    static let checkpointBytes = 64 << 20
    /// Metadata of a folder put is committed every this many files (after one block sync). Each
    /// commit rewrites every page of the indexes keyed by block id (random keys), so fewer,
    /// larger commits write less: on a 38,000-file tree 2,000 wrote 28 % fewer WAL pages than
    /// 1,000, while the last batch, committed after the put has read everything, stays short.
    static let commitBatchFiles = 2000

    /// Stores the local file or folder `local` as the drive path `dest` (default `/<basename>`).
    /// A file already there gets a new version; a folder is merged, reading only changed files.
    /// A symbolic link (named here or met in a folder) is stored as a link to its target, never
    /// followed: a link version, unchanged while the target text is.
    /// A local file edited since it was got (or put) as a version that is no longer the head is
    /// a conflict: refused so that nobody's change is silently replaced, kept as a conflict
    /// version beside the head, or made the head anyway, as `onStale` says.
    @discardableResult
    public func put(local: String, to dest: String? = nil, onStale: StaleEdit = .refuse,
                    options: TransferOptions = .init()) throws(DriveError) -> PutReport {
        let localPath = Self.absolute(local)
        let root = try LocalTree.stat(localPath, "put")
        let target = try parsePath(dest ?? "/" + ((localPath as NSString).lastPathComponent), "put")
        if target.isRoot && !root.isFolder {
            throw DriveError(.invalidArgument, "put", "/", "a file cannot replace the root folder", hint: "give a destination path")
        }
        do {
            return try drive.lock.shared {
                var upload = Upload(session: self, options: options, destination: target)
                upload.onStale = onStale
                defer {
                    upload.committer.waitForAll()
                    try? upload.writer.drain()
                    try? drive.blocks.seal()
                }
                if root.isFolder {
                    try upload.putFolder(root, at: target)
                } else {
                    let owner = try upload.preflight(target, isFolder: false)
                    try upload.refuseStaleBases([(root, target)])
                    try drive.checkQuota(owner: owner, adding: root.size, "put", target.description)
                    try upload.putFile(root, at: target)
                }
                try upload.finish()
                return upload.report
            }
        } catch {
            throw DriveError.wrap(error, "put", target.description)
        }
    }

    /// `path` made absolute and cleaned lexically ("." and ".." folded, like Go's filepath.Clean).
    /// Symbolic links are not resolved: a link named as a target is the link itself.
    static func absolute(_ path: String) -> String {
        // FilePath would end the path at a NUL byte: leave such a path whole for checkNoNul to refuse.
        guard !path.utf8.contains(0) else { return path }
        // Pushing an absolute path replaces the working folder; ".." at the root stays there.
        return FilePath(FileManager.default.currentDirectoryPath).pushing(FilePath(path)).lexicallyNormalized().string
    }
}

/// One put in progress: batches small files, streams large ones, commits in batches.
struct Upload {
    let session: DriveSession
    let options: TransferOptions
    let writer: BlockWriter
    let committer: BatchCommitter
    var report = PutReport()
    /// What to do with a locally edited file whose base is no longer the head.
    var onStale = StaleEdit.refuse
    /// A sync's files: one the device had no copy of does not replace another file at its path
    /// (see `FileCommit.expectsNew`).
    var expectsNew = false
    var progress = TransferProgress()
    var pending: [FileCommit] = []
    var pendingFolders: [DrivePath] = []
    var small: [(entry: LocalEntry, dest: DrivePath)] = []
    var smallBytes = 0

    init(session: DriveSession, options: TransferOptions, destination: DrivePath) {
        self.session = session
        self.options = options
        writer = BlockWriter(store: session.drive.blocks, codec: session.drive.codec)
        committer = BatchCommitter(session: session, writer: writer, subject: destination.description)
        report.destination = destination
    }

    var drive: Drive { session.drive }

    /// Refuses early what the commit would refuse anyway, before reading any bytes.
    /// Also checks the role: writing needs editor on the item there or on the nearest folder
    /// above it. Returns the id of the owner whose quota the bytes will count against.
    @discardableResult
    func preflight(_ target: DrivePath, isFolder: Bool) throws -> Int64 {
        try DriveSession.checkNotReserved(target, "put")
        return try drive.database.read { db in
            if let existing = try session.lookup(db, target) {
                if existing.isFolder != isFolder {
                    throw DriveError(.invalidArgument, "put", target.description,
                                     existing.isFolder ? "a folder is there; a file cannot replace it" : "a file is there; a folder cannot replace it",
                                     hint: "choose another destination or remove it first")
                }
                try session.require(.editor, db, existing, target, "put")
                return existing.ownerId
            }
            var ancestor = target.parent
            while true {
                if DriveSession.isSharedPath(ancestor) && ancestor.components.count == 1 {
                    // Nothing under /shared by that name is shared with this user (or it is a new
                    // top-level name, which /shared never takes): the same answer either way.
                    throw DriveError(.notFound, "put", target.description, "no such shared item",
                                     hint: "/shared holds what others share with you; see 'cairn ls /shared'")
                }
                if let item = try session.lookup(db, ancestor) {
                    if !item.isFolder { throw DriveError(.invalidArgument, "put", target.description, "\(ancestor) is a file, not a folder") }
                    try session.require(.editor, db, item, ancestor, "put")
                    return item.ownerId
                }
                ancestor = ancestor.parent
            }
        }
    }

    mutating func putFolder(_ root: LocalEntry, at target: DrivePath) throws {
        let owner = try preflight(target, isFolder: true)
        // The files cache's records below the target are read on another thread (a reader of the
        // pool) while this one scans the local folder: both take a fifth of a second on a tree of
        // 38,000 files, before anything else of an incremental put can start.
        let records = BackgroundWork { [session, drive] in try Self.cacheRecords(drive, session, below: target) }
        var entries: [LocalEntry], skipped: [String]
        do {
            (entries, skipped) = try LocalTree.scan(root.path, "put")
        } catch {
            records.wait()
            throw error
        }
        report.skippedPaths = skipped
        report.temporaryPaths = entries.filter { $0.components.firstIndex(where: IgnoreRules.isTemporary) == $0.components.count - 1 }
            .map(\.path)
        if !report.temporaryPaths.isEmpty { entries.removeAll { $0.components.contains(where: IgnoreRules.isTemporary) } }
        if target.isRoot, let reserved = entries.first(where: { $0.components.map { $0.canonicalName } == [DriveSession.sharedRoot] }) {
            throw DriveError(.invalidArgument, "put", reserved.path,
                             "it would become /shared, which holds what others share with you; choose another name",
                             hint: "rename it, or put the folder below another folder")
        }
        let files = entries.filter { !$0.isFolder }
        progress.filesTotal = files.count
        progress.bytesTotal = files.reduce(0) { $0 + $1.size }
        let cached = Self.unchanged(files, try records.value())
        let unread = files.filter { !cached.contains($0.path) }
        try refuseStaleBases(unread.map { ($0, Self.destination(of: $0, below: target)) })
        let toRead = unread.reduce(Int64(0)) { $0 + $1.size }
        try drive.checkQuota(owner: owner, adding: toRead, "put", target.description)
        pendingFolders.append(target)
        for entry in entries {
            try options.cancellation?.check("put", target.description)
            let dest = Self.destination(of: entry, below: target)
            if entry.isFolder {
                pendingFolders.append(dest)
            } else if cached.contains(entry.path) {
                report.filesSkipped += 1
                advance(entry, bytes: entry.size, read: false)
            } else {
                try putFile(entry, at: dest)
            }
        }
    }

    /// The drive path of `entry` (found below a folder being put) when the folder goes to `target`.
    static func destination(of entry: LocalEntry, below target: DrivePath) -> DrivePath {
        DrivePath(validated: target.components + entry.components.map { $0.canonicalName })
    }

    /// Refuses the put, before any block is read or stored, when a file in it was edited from a
    /// version that is no longer the head (unless `put --force`).
    func refuseStaleBases(_ files: [(entry: LocalEntry, dest: DrivePath)]) throws {
        guard onStale == .refuse, let conflict = try session.staleBaseConflict(files, "put") else { return }
        throw conflict
    }

    /// What decides which local files of a folder put need not be read again: the head version of
    /// each file below the target (by path relative to it), and the files cache's records.
    struct CacheRecords {
        var heads: [String: Int64] = [:]
        /// Local path → (size, mtime in ns, inode, version).
        var local: [String: (Int64, Int64, Int64, Int64)] = [:]
    }

    /// The files below `target` and the files cache's records of the user's head versions.
    static func cacheRecords(_ drive: Drive, _ session: DriveSession, below target: DrivePath) throws -> CacheRecords {
        try drive.database.read { db in
            guard let folder = try session.lookup(db, target), folder.isFolder else { return CacheRecords() }
            var heads: [String: Int64] = [:] // path relative to the target → head version
            let below = try Row.fetchCursor(db, sql: """
                WITH RECURSIVE below(id, kind, rel, head) AS (
                    SELECT id, kind, name, headVersionId FROM item WHERE parentId = ? AND trashedAt IS NULL
                    UNION ALL
                    SELECT item.id, item.kind, below.rel || '/' || item.name, item.headVersionId
                    FROM item JOIN below ON item.parentId = below.id WHERE item.trashedAt IS NULL
                ) SELECT rel, head FROM below WHERE kind = 'file' AND head IS NOT NULL
                """, arguments: [folder.id])
            while let row = try below.next() { heads[row["rel"]] = row["head"] }
            var rows: [String: (Int64, Int64, Int64, Int64)] = [:]
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT localPath, size, mtimeNs, inode, versionId FROM localFile
                WHERE userId = ? AND versionId IN (SELECT headVersionId FROM item WHERE trashedAt IS NULL)
                """, arguments: [session.userID])
            while let row = try cursor.next() {
                rows[row["localPath"]] = (row["size"], row["mtimeNs"], row["inode"], row["versionId"])
            }
            return CacheRecords(heads: heads, local: rows)
        }
    }

    /// Local files whose size, mtime and inode match the files cache and whose drive head at their
    /// destination below the target is still the version recorded there: they need not be read
    /// again. (The cache keeps one version per local file, so the same folder put to another
    /// place is read.)
    static func unchanged(_ files: [LocalEntry], _ records: CacheRecords) -> Set<String> {
        var hits = Set<String>()
        for file in files {
            let relative = file.components.map { $0.canonicalName }.joined(separator: "/")
            if let (size, mtime, inode, version) = records.local[file.path], size == file.size, mtime == file.mtimeNs,
               inode == file.inode, records.heads[relative] == version {
                hits.insert(file.path)
            }
        }
        return hits
    }

    /// Stores a file or a link: a link has no content to read, only its target.
    mutating func putFile(_ entry: LocalEntry, at dest: DrivePath) throws {
        if let target = entry.linkTarget {
            try enqueue(FileCommit(dest: dest, blocks: [], size: 0, local: entry, linkTarget: target))
            advance(entry, bytes: 0)
        } else if entry.size <= Int64(drive.settings.chunker.maxSize) {
            small.append((entry, dest))
            smallBytes += Int(entry.size)
            if small.count >= 512 || smallBytes >= 16 << 20 { try writeSmallFiles() }
        } else {
            try writeSmallFiles()
            try streamFile(entry, to: dest)
        }
    }

    /// Reads a batch of small files into one buffer and writes all their blocks at once, so
    /// hashing and compression of many small files also use every core.
    mutating func writeSmallFiles() throws {
        guard !small.isEmpty else { return }
        let batch = small
        var buffer = Data(capacity: smallBytes)
        small.removeAll(keepingCapacity: true)
        smallBytes = 0
        var spans: [Range<Int>] = []
        var entries: [LocalEntry] = []
        for (entry, _) in batch {
            let file = try openLocal(entry.path)
            let start = buffer.count
            buffer.count += Int(entry.size)
            let got = try buffer.withUnsafeMutableBytes { raw in
                try file.read(upTo: Int(entry.size), into: UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + Int(entry.size))]))
            }
            buffer.count = start + got
            spans.append(start..<(start + got))
            var seen = entry
            seen.size = Int64(got)
            entries.append(seen)
        }
        let chunker = drive.chunker
        let written = try buffer.withUnsafeBytes { raw -> [WrittenBlock] in
            var ranges: [Range<Int>] = []
            for span in spans {
                var offset = span.lowerBound
                while offset < span.upperBound {
                    let length = chunker.cut(UnsafeRawBufferPointer(rebasing: raw[offset..<span.upperBound]))
                    ranges.append(offset..<(offset + length))
                    offset += length
                }
            }
            return try writer.write(raw, ranges: ranges)
        }
        var next = 0
        for (index, (_, dest)) in batch.enumerated() {
            let span = spans[index]
            var blocks: [WrittenBlock] = []
            var covered = 0
            while covered < span.count {
                blocks.append(written[next])
                covered += written[next].length
                next += 1
            }
            try enqueue(FileCommit(dest: dest, blocks: blocks, size: Int64(span.count), local: entries[index]))
            advance(entries[index], bytes: Int64(span.count))
        }
    }

    /// Streams one large file through the chunker; big ones through a resumable upload session.
    mutating func streamFile(_ entry: LocalEntry, to dest: DrivePath) throws {
        let file = try openLocal(entry.path)
        let resumable = entry.size >= DriveSession.resumableThreshold
        var blocks: [WrittenBlock] = []
        var sessionID: Int64?
        var offset: Int64 = 0
        if resumable {
            (sessionID, blocks) = try openUploadSession(entry, dest)
            offset = blocks.reduce(0) { $0 + Int64($1.length) }
            if offset > 0 {
                guard lseek(file.fd, off_t(offset), SEEK_SET) == offset else { throw PosixFile.error("cannot seek \(entry.path)") }
                report.resumedAt = offset
                progress.resumedAt = offset
            }
        }
        let startBytes = progress.bytesDone
        progress.current = dest.description
        var checkpointed = blocks.count
        var sinceCheckpoint = 0
        let stream = ChunkStream(file: file, chunker: drive.chunker)
        try stream.forEachBatch { raw, ranges in
            try options.cancellation?.check("put", dest.description)
            let written = try writer.write(raw, ranges: ranges)
            blocks += written
            offset += Int64(raw.count)
            sinceCheckpoint += raw.count
            progress.bytesDone = startBytes + offset
            options.progress?(progress)
            if let sessionID, sinceCheckpoint >= DriveSession.checkpointBytes {
                try checkpoint(sessionID, blocks: blocks[checkpointed...], bytesDone: offset)
                checkpointed = blocks.count
                sinceCheckpoint = 0
            }
        }
        var seen = entry
        seen.size = offset
        progress.bytesDone = startBytes
        try enqueue(FileCommit(dest: dest, blocks: blocks, size: offset, local: seen, uploadSession: sessionID))
        advance(seen, bytes: offset)
        // A large file is committed on its own so that its upload session closes promptly.
        try flush()
    }

    func openLocal(_ path: String) throws -> PosixFile {
        do {
            return try PosixFile(path: path, flags: O_RDONLY)
        } catch {
            throw DriveError(errno == EACCES ? .permissionDenied : .io, "put", path, "cannot read local file: \(error)",
                             hint: "check its permissions")
        }
    }

    /// Finds the unfinished upload of the same local file to the same place, or starts one.
    func openUploadSession(_ entry: LocalEntry, _ dest: DrivePath) throws -> (Int64, [WrittenBlock]) {
        let now = drive.clock()
        return try drive.database.write { db in
            if let id = try Int64.fetchOne(db, sql: """
                SELECT id FROM uploadSession WHERE userId = ? AND destPath = ? AND localPath = ? AND size = ? AND mtimeNs = ? AND inode = ?
                ORDER BY id DESC LIMIT 1
                """, arguments: [session.userID, dest.description, entry.path, entry.size, entry.mtimeNs, entry.inode]) {
                let rows = try Row.fetchAll(db, sql: "SELECT blockId, length, isNew FROM uploadBlock WHERE sessionId = ? ORDER BY seq", arguments: [id])
                let blocks = rows.compactMap { row -> WrittenBlock? in
                    guard let blockID = BlockID(bytes: row["blockId"]) else { return nil }
                    return WrittenBlock(id: blockID, length: row["length"], isNew: row["isNew"])
                }
                return (id, blocks)
            }
            // A session for the same destination but another state of the file is stale.
            try db.execute(sql: "DELETE FROM uploadSession WHERE userId = ? AND destPath = ?", arguments: [session.userID, dest.description])
            try db.execute(sql: """
                INSERT INTO uploadSession (userId, destPath, localPath, size, mtimeNs, inode, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [session.userID, dest.description, entry.path, entry.size, entry.mtimeNs, entry.inode, now, now])
            return (db.lastInsertedRowID, [])
        }
    }

    /// Makes the blocks so far durable, then records them in the upload session (invariant 1).
    func checkpoint(_ sessionID: Int64, blocks: ArraySlice<WrittenBlock>, bytesDone: Int64) throws {
        try writer.drain()
        try drive.blocks.sync()
        let now = drive.clock()
        try drive.database.write { db in
            var seq = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM uploadBlock WHERE sessionId = ?", arguments: [sessionID]) ?? 0
            let insert = try db.makeStatement(sql: "INSERT INTO uploadBlock (sessionId, seq, blockId, length, isNew) VALUES (?, ?, ?, ?, ?)")
            for block in blocks {
                try insert.execute(arguments: [sessionID, seq, block.id.bytes, block.length, block.isNew])
                seq += 1
            }
            try db.execute(sql: "UPDATE uploadSession SET bytesDone = ?, updatedAt = ? WHERE id = ?", arguments: [bytesDone, now, sessionID])
        }
    }

    mutating func enqueue(_ commit: FileCommit) throws {
        var commit = commit
        commit.onStale = onStale
        commit.expectsNew = expectsNew
        pending.append(commit)
        if pending.count >= DriveSession.commitBatchFiles { try flush() }
    }

    mutating func advance(_ entry: LocalEntry, bytes: Int64, read: Bool = true) {
        if read { report.bytesRead += bytes }
        progress.filesDone += 1
        progress.bytesDone += bytes
        progress.current = entry.path
        options.progress?(progress)
    }

    /// Hands every pending file and folder to the committer, which syncs the block store and
    /// commits them in one transaction while this put goes on reading.
    mutating func flush() throws {
        try writeSmallFiles()
        guard !pending.isEmpty || !pendingFolders.isEmpty else { return }
        try committer.submit(BatchCommitter.Batch(commits: pending, folders: pendingFolders))
        pending.removeAll(keepingCapacity: true)
        pendingFolders.removeAll()
    }

    /// Flushes, waits for every batch to commit and adds what they did to the report.
    mutating func finish() throws {
        try flush()
        let tally = try committer.finish()
        report.filesStored += tally.filesStored
        report.filesUnchanged += tally.filesUnchanged
        report.foldersCreated += tally.foldersCreated
        report.newBlocks += tally.newBlocks
        report.sharedBlocks += tally.sharedBlocks
        report.conflicts += tally.conflicts
    }
}
