#if canImport(Glibc)
import Glibc
#endif
import Blocks
import Foundation
import GRDB
import Synchronization

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
        do {
            try checkTarget(target, isFolder: item.isFolder, force: force, drivePath)
            var writer = Download(drive: drive, root: target, options: options)
            writer.progress.filesTotal = files.count
            writer.progress.bytesTotal = files.reduce(0) { $0 + $1.size }
            if item.isFolder {
                try writer.makeFolder([])
                for folder in folders { try writer.makeFolder(folder) }
                report.folders = folders.count + 1
            }
            try writer.write(files)
            try recordLocalFiles(writer.written, versions: writer.writtenVersions)
            report.files = files.count
            report.bytesWritten = writer.progress.bytesDone
        } catch {
            throw DriveError.wrapRead(error, "get", drivePath.description)
        }
        return report
    }

    /// Records written files in the files cache, so a later put knows which version each local
    /// copy started from (and refuses an edit of a copy that is no longer the head).
    func recordLocalFiles(_ entries: [LocalEntry], versions: [Int64]) throws {
        guard !entries.isEmpty else { return }
        try drive.write("get", entries[0].path) { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO localFile (userId, localPath, size, mtimeNs, inode, versionId) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(userId, localPath) DO UPDATE SET size = excluded.size, mtimeNs = excluded.mtimeNs,
                    inode = excluded.inode, versionId = excluded.versionId
                """)
            for (entry, version) in zip(entries, versions) {
                try statement.execute(arguments: [userID, entry.path, entry.size, entry.mtimeNs, entry.inode, version])
            }
        }
    }

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

    /// The ordered blocks of version `version` (immutable once committed).
    static func blockList(_ db: Database, _ version: Int64) throws -> [WrittenBlock] {
        try Row.fetchAll(db, sql: "SELECT blockId, length FROM versionBlock WHERE versionId = ? ORDER BY seq", arguments: [version])
            .map { row in
                guard let id = BlockID(bytes: row["blockId"]) else { throw DriveError(.corrupted, "get", "version \(version)", "bad block id") }
                return WrittenBlock(id: id, length: row["length"], isNew: false)
            }
    }

    /// Every live file and folder below `folder`, with names relative to it. Block lists are not
    /// loaded here: the writer loads them a group at a time (`DownloadFile.version` pins which).
    func tree(_ db: Database, _ folder: Item) throws -> ([DownloadFile], [[String]]) {
        let rows = try Row.fetchAll(db, sql: """
            WITH RECURSIVE below(id, kind, rel, head, size, modifiedAt) AS (
                SELECT id, kind, name, headVersionId, size, modifiedAt FROM item WHERE parentId = ? AND trashedAt IS NULL
                UNION ALL
                SELECT item.id, item.kind, below.rel || '/' || item.name, item.headVersionId, item.size, item.modifiedAt
                FROM item JOIN below ON item.parentId = below.id WHERE item.trashedAt IS NULL
            ) SELECT below.*, version.linkTarget FROM below LEFT JOIN version ON version.id = below.head ORDER BY rel
            """, arguments: [folder.id])
        var files: [DownloadFile] = []
        var folders: [[String]] = []
        for row in rows {
            let components = (row["rel"] as String).split(separator: "/").map(String.init)
            if row["kind"] as String == "folder" {
                folders.append(components)
            } else if let head = row["head"] as Int64? {
                files.append(DownloadFile(components: components, blocks: nil, size: row["size"],
                                          modifiedAt: Date(timeIntervalSince1970: row["modifiedAt"]), version: head,
                                          linkTarget: row["linkTarget"]))
            }
        }
        return (files, folders)
    }

    /// Refuses to replace a local file or folder unless forced, and never a folder by a file.
    func checkTarget(_ target: String, isFolder: Bool, force: Bool, _ drivePath: DrivePath) throws {
        try LocalTree.checkNoNul(target, "get")
        let parent = (target as NSString).deletingLastPathComponent
        var st = stat()
        guard stat(parent, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
            throw DriveError(.notFound, "get", target, "the local folder \(parent) does not exist")
        }
        guard lstat(target, &st) == 0 else { return }
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

/// One file to write: where below the target, which version, and its blocks once loaded (nil
/// until the writer reaches the file, so a tree's block lists are never all in memory at once).
struct DownloadFile {
    var components: [String]
    var blocks: [WrittenBlock]?
    var size: Int64
    var modifiedAt: Date
    var version: Int64
    /// Set for a link version: the target of the symbolic link to make (there are no blocks).
    var linkTarget: String?
}

/// Writes files below a local root: blocks are read, verified and inflated on every core; each
/// file goes to a temporary name, is synced, then renamed into place, and the folder holding it
/// is synced after the rename, so a file that get reported written survives a power loss.
struct Download {
    let drive: Drive
    let root: String
    let options: TransferOptions
    var progress = TransferProgress()
    /// Each file written, as the files cache records it: the version it is a copy of.
    var written: [LocalEntry] = []
    var writtenVersions: [Int64] = []
    /// Whether `makeFolder` created a folder: `write` then makes the new folders durable.
    var madeFolders = false

    init(drive: Drive, root: String, options: TransferOptions) {
        self.drive = drive
        self.root = root
        self.options = options
    }

    func localPath(_ components: [String]) -> String {
        components.isEmpty ? root : root + "/" + components.joined(separator: "/")
    }

    /// Creates a folder below the root; an existing symbolic link there is refused, so nothing is
    /// ever written through a link to outside the target.
    mutating func makeFolder(_ components: [String]) throws {
        let path = localPath(components)
        var st = stat()
        if lstat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else {
                throw DriveError(.alreadyExists, "get", path, "something that is not a folder is in the way", hint: "move it away and retry")
            }
            return
        }
        guard mkdir(path, 0o755) == 0 else { throw PosixFile.error("cannot create folder \(path)") }
        madeFolders = true
    }

    /// Writes files in groups of about 32 MiB (at most 2000 files): the group's block lists are
    /// loaded, its blocks fetched in parallel, its files written to temporary names, one `syncfs`
    /// makes them durable, then each is renamed.
    mutating func write(_ files: [DownloadFile]) throws {
        var group: [DownloadFile] = []
        var groupBytes: Int64 = 0
        for file in files {
            if file.size > 32 << 20 {
                try writeGroup(group)
                group.removeAll()
                groupBytes = 0
                try writeLarge(file)
                continue
            }
            group.append(file)
            groupBytes += file.size
            if groupBytes >= 32 << 20 || group.count >= 2000 {
                try writeGroup(group)
                group.removeAll()
                groupBytes = 0
            }
        }
        try writeGroup(group)
        if madeFolders {
            // New folders are durable in their parents once the file system is synced (one call
            // for the whole tree; the small-file groups' syncfs covered those made before it).
            let handle = try PosixFile(path: root, flags: O_RDONLY | O_DIRECTORY)
            #if os(Linux)
            guard linuxSyncfs(handle.fd) == 0 else { throw PosixFile.error("cannot sync \(root)") }
            #else
            try handle.sync()
            #endif
            madeFolders = false
        }
    }

    /// The files with their block lists, loaded in one snapshot for those not loaded yet. A
    /// version's list never changes, so loading it late reads what `tree` saw; a version deleted
    /// since (its file purged while get ran) is a conflict, never an empty or short file.
    private func loaded(_ files: [DownloadFile]) throws -> [DownloadFile] {
        guard files.contains(where: { $0.blocks == nil }) else { return files }
        return try drive.read("get", root) { db in
            try files.map { file in
                guard file.blocks == nil else { return file }
                var file = file
                let blocks = try DriveSession.blockList(db, file.version)
                guard blocks.reduce(Int64(0), { $0 + Int64($1.length) }) == file.size else {
                    let path = localPath(file.components)
                    throw DriveError(.conflict, "get", path, "the file was deleted from the drive while get ran",
                                     hint: "run get again (with --force over what it wrote)")
                }
                file.blocks = blocks
                return file
            }
        }
    }

    private mutating func writeGroup(_ group: [DownloadFile]) throws {
        guard !group.isEmpty else { return }
        try options.cancellation?.check("get", root)
        let group = try loaded(group)
        let data = try fetch(group.flatMap { $0.blocks!.map(\.id) })
        var next = 0
        var temps: [(String, String)] = []
        defer { for (temp, _) in temps { unlink(temp) } }
        for file in group {
            let final = localPath(file.components)
            if let target = file.linkTarget {
                temps.append((try SymbolicLink.makeTemporary(for: final, target: target, modified: file.modifiedAt), final))
                continue
            }
            let (temp, handle) = try createTemp(for: final)
            temps.append((temp, final))
            for _ in file.blocks! {
                try handle.write(data[next])
                next += 1
            }
            setModified(handle, file.modifiedAt)
        }
        #if os(Linux)
        if let first = temps.first {
            // The folder holding it, not the file: a temporary link must never be opened (that
            // follows it, perhaps to a pipe or nowhere).
            let folder = (first.0 as NSString).deletingLastPathComponent
            let handle = try PosixFile(path: folder, flags: O_RDONLY | O_DIRECTORY)
            guard linuxSyncfs(handle.fd) == 0 else { throw PosixFile.error("cannot sync \(root)") }
        }
        #else
        // A link needs no sync of its own: it is durable with its folder, synced after the rename.
        for ((temp, _), file) in zip(temps, group) where file.linkTarget == nil { try PosixFile(path: temp, flags: O_RDONLY).sync() }
        #endif
        var parents = Set<String>()
        for (index, (temp, final)) in temps.enumerated() {
            try rename(temp, to: final)
            parents.insert((final as NSString).deletingLastPathComponent)
            remember(final, group[index].version)
            progress.bytesDone += group[index].size
            progress.filesDone += 1
            progress.current = final
        }
        temps.removeAll()
        // The renames are durable once their folders are: get returns only after that.
        for parent in parents.sorted() { try PosixFile.syncDirectory(parent) }
        options.progress?(progress)
    }

    /// Streams a large file: while one batch of blocks is written (on a serial queue, with
    /// writeback started behind it), the next is read, verified and inflated on every core. Its
    /// block list is read a page at a time unless it was loaded already.
    private mutating func writeLarge(_ file: DownloadFile) throws {
        let final = localPath(file.components)
        let (temp, handle) = try createTemp(for: final)
        var done = false
        defer { if !done { unlink(temp) } }
        let queue = DispatchQueue(label: "cairn.get.write")
        let slots = DispatchSemaphore(value: 2)
        let failure = WriteFailure()
        var offset = 0
        var pages = BlockListPages(drive: drive, version: file.version, size: file.size, operation: "get", subject: final,
                                   preloaded: file.blocks)
        while case let blocks = try pages.next(), !blocks.isEmpty {
            for start in stride(from: 0, to: blocks.count, by: 16) {
                try options.cancellation?.check("get", final)
                if let error = failure.error { throw error }
                let batch = blocks[start..<min(start + 16, blocks.count)]
                let data = try fetch(batch.map(\.id))
                let begin = offset
                offset += data.reduce(0) { $0 + $1.count }
                let end = offset
                slots.wait()
                queue.async {
                    defer { slots.signal() }
                    do {
                        for chunk in data { try handle.write(chunk) }
                        handle.startWriteback(offset: begin, count: end - begin)
                    } catch {
                        failure.record(error)
                    }
                }
                progress.bytesDone += Int64(end - begin)
                progress.current = final
                options.progress?(progress)
            }
        }
        queue.sync {}
        if let error = failure.error { throw error }
        setModified(handle, file.modifiedAt)
        try handle.sync()
        try rename(temp, to: final)
        try PosixFile.syncDirectory((final as NSString).deletingLastPathComponent)
        remember(final, file.version)
        done = true
        progress.filesDone += 1
    }

    /// Reads and verifies blocks on every core; results in the order of `ids`.
    private func fetch(_ ids: [BlockID]) throws -> [Data] {
        var results = [Result<Data, any Error>](repeating: .success(Data()), count: ids.count)
        let store = drive.blocks
        let maxRawLength = drive.settings.chunker.maxSize
        results.withUnsafeMutableBufferPointer { out in
            let out = UnsafeSendable(out)
            DispatchQueue.concurrentPerform(iterations: ids.count) { i in
                out.value[i] = Result { try store.read(ids[i], maxRawLength: maxRawLength) }
            }
        }
        return try results.map { try $0.get() }
    }

    private func createTemp(for final: String) throws -> (String, PosixFile) {
        let directory = (final as NSString).deletingLastPathComponent
        let name = (final as NSString).lastPathComponent
        var random = SystemRandomNumberGenerator()
        let temp = directory + "/.\(name.prefix(200)).cairn-\(String(random.next() as UInt32, radix: 36)).tmp"
        return (temp, try PosixFile(path: temp, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644))
    }

    private func setModified(_ handle: PosixFile, _ date: Date) {
        let seconds = date.timeIntervalSince1970
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9)),
                     timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))]
        futimens(handle.fd, &times)
    }

    private mutating func remember(_ path: String, _ version: Int64) {
        if let entry = try? LocalTree.stat(path, "get") {
            written.append(entry)
            writtenVersions.append(version)
        }
    }

    private func rename(_ temp: String, to final: String) throws {
        guard Glibc.rename(temp, final) == 0 else { throw PosixFile.error("cannot move \(temp) to \(final)") }
    }
}

/// A pointer that parallel iterations write through at distinct indices.
struct UnsafeSendable<T>: @unchecked Sendable {
    // Each concurrent iteration writes only its own index.
    let value: T
    init(_ value: T) { self.value = value }
}

/// Linux `syncfs(2)`: flushes the whole file system holding `fd` in one call (cheaper than an
/// fsync per file for a folder of many files). Not exported by Swift's Glibc module.
#if os(Linux)
@_silgen_name("syncfs")
func linuxSyncfs(_ fd: Int32) -> Int32
#endif

/// The first error of a background write. Thread-safe: it is a `Mutex`.
final class WriteFailure: Sendable {
    private let first = Mutex<(any Error)?>(nil)

    var error: (any Error)? { first.withLock { $0 } }
    func record(_ error: any Error) { first.withLock { if $0 == nil { $0 = error } } }
}
