#if canImport(Glibc)
import Glibc
#endif
import Blocks
import Foundation
import GRDB

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
/// is synced after the rename, so a file that get reported written survives a power loss. A
/// link version is made the same way: a symbolic link at a temporary name, renamed into place.
///
/// Staged (a folder written where nothing is yet): the whole tree is written at its final names
/// inside one hidden staging folder beside the root, synced once, then renamed to the root in
/// one step, so the root appears whole or not at all and no file needs a name of its own.
struct Download {
    let drive: Drive
    let root: String
    /// The hidden folder the tree is written in when staged (`staged(drive:root:options:)`), renamed to `root`
    /// at the end of `write`; nil when files are put into place one by one.
    private(set) var staging: String?
    let options: TransferOptions
    var progress = TransferProgress()
    /// Each file written, as the files cache records it: the version it is a copy of.
    var written: [LocalEntry] = []
    var writtenVersions: [Int64] = []
    /// Writes the small files' groups at temporary names in the background, one group at a time,
    /// while the next group's blocks are fetched: the fetch is CPU (reading, verifying, inflating
    /// on every core), the writing mostly the kernel's (creating files), so both cores work.
    let groupWriter = SerialStage(label: "cairn.get.write")
    /// Makes the small files' groups durable and renames them into place in the background.
    let publisher: Publisher
    /// Whether `makeFolder` created a folder: `write` then makes the new folders durable.
    var madeFolders = false
    /// Asked right before each rename into place (a sync): false leaves the local file as it is
    /// (it changed since it was looked at) and drops the new one, listed in `declined`.
    let mayReplace: (@Sendable (String) -> Bool)?
    var declined: [String] = []
    /// Told of the files renamed into place (with their versions) once their renames are
    /// durable (a large file at once, the small ones' groups at the end of `write`): a sync
    /// records them then; a kill before that is recovered by content on the next sync.
    var renamed: (([LocalEntry], [Int64]) throws -> Void)?

    init(drive: Drive, root: String, options: TransferOptions, mayReplace: (@Sendable (String) -> Bool)? = nil) {
        self.mayReplace = mayReplace
        self.drive = drive
        self.root = root
        self.options = options
        publisher = Publisher(root: root, mayReplace: mayReplace)
    }

    /// A writer that stages the tree: `root` must not exist (nothing is ever replaced), and the
    /// staging folder `.NAME.cairn-XXXX.tmp` is made beside it now. Put and sync leave such
    /// names out, and a get killed midway leaves only that hidden folder behind.
    static func staged(drive: Drive, root: String, options: TransferOptions) throws -> Download {
        var download = Download(drive: drive, root: root, options: options)
        while true {
            let staging = LocalTree.temporaryPath(beside: root)
            if mkdir(staging, 0o755) == 0 {
                download.staging = staging
                return download
            }
            guard errno == EEXIST else { throw PosixFile.error("cannot create folder \(staging)") }
        }
    }

    /// Removes the staging folder and all written in it, unless `write` renamed it into place:
    /// called when a staged get fails.
    mutating func discardStaging() {
        guard let staging else { return }
        try? FileManager.default.removeItem(atPath: staging)
        self.staging = nil
    }

    /// Where files are written: the staging folder while staged, else the root.
    private var writeRoot: String { staging ?? root }

    func localPath(_ components: [String]) -> String {
        Self.localPath(components, below: root)
    }

    static func localPath(_ components: [String], below root: String) -> String {
        components.isEmpty ? root : root + "/" + components.joined(separator: "/")
    }

    /// Creates a folder below the root; an existing symbolic link there is refused, so nothing is
    /// ever written through a link to outside the target.
    mutating func makeFolder(_ components: [String]) throws {
        let path = Self.localPath(components, below: writeRoot)
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

    /// Writes files in groups of about 16 MiB (at most 1000 files: two groups are in memory at
    /// once, the one fetched and the one written, as much as one group of 32 MiB was): the
    /// group's block lists are loaded and its blocks fetched on every core, then, in the
    /// background while the next group is fetched, its files are written to temporary names and
    /// the publisher makes them durable (one `syncfs`) and renames each; one last `syncfs` makes
    /// the renames durable before this returns.
    mutating func write(_ files: [DownloadFile]) throws {
        defer {
            groupWriter.waitForAll()
            publisher.waitForAll()
        }
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
            if groupBytes >= 16 << 20 || group.count >= 1000 {
                try writeGroup(group)
                group.removeAll()
                groupBytes = 0
            }
        }
        try writeGroup(group)
        try groupWriter.finish()
        let published = try publisher.finish()
        let before = written.count
        written += published.map(\.entry)
        writtenVersions += published.map(\.version)
        if let staging { return try moveIntoPlace(staging) }
        declined += publisher.declined
        if madeFolders || !published.isEmpty {
            // The renames and the new folders are durable in their parents once the file system
            // is synced: one call for the whole tree, before get reports anything written. (The
            // root is a file when get writes one file: then its folder.)
            try Publisher.syncFileSystem(published.first.map { ($0.entry.path as NSString).deletingLastPathComponent } ?? root)
            madeFolders = false
        }
        try reportRenamed(since: before)
    }

    /// Ends a staged write: the staging folder becomes the root in one rename.
    private mutating func moveIntoPlace(_ staging: String) throws {
        // Everything written is durable before the root names it, and the rename itself
        // before get reports anything written. RENAME_NOREPLACE: whatever appeared at the
        // root meanwhile (even an empty folder) stays, and the get fails. A file system that
        // does not know the flag (EINVAL: NFS, older ZFS, some FUSE) gets a plain rename
        // after a look at the root, which could replace an empty folder made in between.
        try Publisher.syncFileSystem(staging)
        var moved = linuxRenameat2(AT_FDCWD, staging, AT_FDCWD, root, 1 /* RENAME_NOREPLACE */) == 0
        if !moved && errno == EINVAL {
            var st = stat()
            if lstat(root, &st) == 0 { errno = EEXIST } else { moved = Glibc.rename(staging, root) == 0 }
        }
        guard moved else {
            if errno == EEXIST || errno == ENOTEMPTY {
                throw DriveError(.alreadyExists, "get", root, "something was made at this path while get ran; it was left as it is",
                                 hint: "move it away and retry, or pass --force to write into it")
            }
            throw PosixFile.error("cannot move \(staging) to \(root)")
        }
        self.staging = nil
        try PosixFile.syncDirectory((root as NSString).deletingLastPathComponent)
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

    /// Fetches a group's blocks (on every core), then hands the group to the group writer, which
    /// writes its files to temporary names and hands them to the publisher (making them durable
    /// and renaming them into place) while the next group is fetched.
    private mutating func writeGroup(_ group: [DownloadFile]) throws {
        guard !group.isEmpty else { return }
        try options.cancellation?.check("get", root)
        try publisher.rethrowFailure()
        let group = try loaded(group)
        let data = try fetch(group.flatMap { $0.blocks!.map(\.id) })
        let root = root, publisher = publisher
        if let staging {
            // Staged: each file at its final name in the staging folder, no rename; the final
            // sync and rename of the whole folder happen at the end of `write`.
            try groupWriter.submit {
                var next = 0
                let firstBlock = group.map { file in
                    defer { next += file.blocks!.count }
                    return next
                }
                // Two threads, each creating the files of its own folders (creating files in
                // one folder from two threads mostly waits on the folder's lock in the kernel).
                // `concurrentMap` runs the second half beside the first only when a pool thread
                // is free (the next group's fetch keeps them busy): tree get 3.01–3.52 s against
                // 3.33–3.67 s on one thread, while a thread of its own for the second half made
                // it slower (more system time: 3.35–5.03 s).
                let split = Self.folderBoundary(near: group.count / 2, in: group)
                let halves = [0..<split, split..<group.count]
                let placed = try concurrentMap(split == group.count ? 1 : 2) { half throws in
                    try halves[half].map { index in
                        let file = group[index]
                        let blocks = data[firstBlock[index]..<(firstBlock[index] + file.blocks!.count)]
                        return try Self.writeStaged(file, blocks, below: staging, root: root)
                    }
                }
                publisher.placed(placed.flatMap { $0 }, syncing: staging)
            }
            reportGroupProgress(group)
            return
        }
        try groupWriter.submit {
            // One file after another: two threads creating files in one folder mostly wait for
            // each other in the kernel (the folder's lock, inode allocation), which cost more
            // system CPU than it saved in wall time on the peers tree.
            var temps: [Publisher.Entry] = []
            var next = 0
            do {
                for file in group {
                    let blocks = data[next..<(next + file.blocks!.count)]
                    next = blocks.endIndex
                    temps.append(Publisher.Entry(temp: try Self.writeTemporary(file, blocks, below: root),
                                                 final: Self.localPath(file.components, below: root), version: file.version))
                }
            } catch {
                for entry in temps { unlink(entry.temp) }
                throw error
            }
            try publisher.publish(temps)
        }
        reportGroupProgress(group)
    }

    private mutating func reportGroupProgress(_ group: [DownloadFile]) {
        progress.bytesDone += group.reduce(0) { $0 + $1.size }
        progress.filesDone += group.count
        progress.current = group.last.map { localPath($0.components) } ?? progress.current
        options.progress?(progress)
    }

    /// The index nearest `middle` where a file in another folder than the one before it starts;
    /// `group.count` when all of them are in one folder.
    static func folderBoundary(near middle: Int, in group: [DownloadFile]) -> Int {
        func startsFolder(_ index: Int) -> Bool {
            index > 0 && index < group.count && group[index].components.dropLast() != group[index - 1].components.dropLast()
        }
        for distance in 0..<max(1, group.count) {
            if startsFolder(middle + distance) { return middle + distance }
            if startsFolder(middle - distance) { return middle - distance }
        }
        return group.count
    }

    /// Writes one file (or makes one link) of a staged group at its final name inside the
    /// staging folder; returns it as the files cache will know it, at its path below `root`.
    private static func writeStaged(_ file: DownloadFile, _ blocks: ArraySlice<Data>, below staging: String,
                                    root: String) throws -> Publisher.Published {
        let path = localPath(file.components, below: staging)
        let final = localPath(file.components, below: root)
        if let target = file.linkTarget {
            let st = try SymbolicLink.make(at: path, target: target, modified: file.modifiedAt)
            return Publisher.Published(entry: LocalEntry(path: final, st, linkTarget: target), version: file.version)
        }
        let handle = try createNew(path)
        for block in blocks { try handle.write(block) }
        setModified(handle, file.modifiedAt)
        return Publisher.Published(entry: try LocalEntry(path: final, handle.status(), linkTarget: nil), version: file.version)
    }

    /// Writes one file (or makes one link) of a group at a temporary name beside its final path.
    private static func writeTemporary(_ file: DownloadFile, _ blocks: ArraySlice<Data>, below root: String) throws -> String {
        let final = localPath(file.components, below: root)
        if let target = file.linkTarget {
            return try SymbolicLink.makeTemporary(for: final, target: target, modified: file.modifiedAt)
        }
        let (temp, handle) = try createTemp(for: final)
        do {
            for block in blocks { try handle.write(block) }
        } catch {
            unlink(temp)
            throw error
        }
        setModified(handle, file.modifiedAt)
        return temp
    }

    /// Streams a large file: while one batch of blocks is written (on a serial queue, past the
    /// page cache where the file system allows: ``DirectFileWriter``), the next is read, verified
    /// and inflated on every core. Its block list is read a page at a time unless it was loaded
    /// already.
    private mutating func writeLarge(_ file: DownloadFile) throws {
        let final = localPath(file.components)
        let (temp, handle) = try staging.map { staging in
            let path = Self.localPath(file.components, below: staging)
            return (path, try Self.createNew(path))
        } ?? Self.createTemp(for: final)
        var done = false
        defer { if !done { unlink(temp) } }
        let queue = DispatchQueue(label: "cairn.get.write")
        // Runs before the unlink above: a failure stops here only once the batch being written
        // is done with the file.
        defer { queue.sync {} }
        // One batch written while the next is fetched: writing past the page cache is faster than
        // fetching and inflating, so a second queued batch only held 16 MiB more (peak RSS).
        let slots = DispatchSemaphore(value: 1)
        let failure = WriteFailure()
        // Past the page cache: the file is synced before it is renamed into place in any case.
        let writer = DirectFileWriter(file: handle)
        var offset = 0
        var pages = BlockListPages(drive: drive, version: file.version, size: file.size, operation: "get", subject: final,
                                   preloaded: file.blocks)
        while case let blocks = try pages.next(), !blocks.isEmpty {
            for start in stride(from: 0, to: blocks.count, by: 16) {
                try options.cancellation?.check("get", final)
                if let error = failure.error { throw error }
                // A group written in the background failed: stop here rather than after this file.
                try groupWriter.rethrowFailure()
                let batch = blocks[start..<min(start + 16, blocks.count)]
                let data = try fetch(batch.map(\.id))
                let begin = offset
                offset += data.reduce(0) { $0 + $1.count }
                let end = offset
                slots.wait()
                queue.async {
                    defer { slots.signal() }
                    do {
                        for chunk in data { try writer.append(chunk) }
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
        try writer.finish()
        Self.setModified(handle, file.modifiedAt)
        if staging != nil {
            // In place in the staging folder: synced with the rest at the end of `write`.
            written.append(LocalEntry(path: final, try handle.status(), linkTarget: nil))
            writtenVersions.append(file.version)
            done = true
            progress.filesDone += 1
            return
        }
        try handle.sync()
        if let mayReplace, !mayReplace(final) {
            declined.append(final)
            return
        }
        try rename(temp, to: final)
        try PosixFile.syncDirectory((final as NSString).deletingLastPathComponent)
        remember(final, file.version)
        done = true
        try reportRenamed(since: written.count - 1)
        progress.filesDone += 1
    }

    /// Reads and verifies blocks on every core; results in the order of `ids`.
    private func fetch(_ ids: [BlockID]) throws -> [Data] {
        try drive.blocks.readMany(ids, maxRawLength: drive.settings.chunker.maxSize)
    }

    private static func createTemp(for final: String) throws -> (String, PosixFile) {
        let temp = LocalTree.temporaryPath(beside: final)
        return (temp, try createNew(temp))
    }

    /// Creates the file `path`, where nothing may be yet, for writing.
    private static func createNew(_ path: String) throws -> PosixFile {
        try PosixFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
    }

    private static func setModified(_ handle: PosixFile, _ date: Date) {
        var times = [timespec(date), timespec(date)]
        futimens(handle.fd, &times)
    }

    private func reportRenamed(since start: Int) throws {
        guard let renamed, start < written.count else { return }
        try renamed(Array(written[max(0, start)...]), Array(writtenVersions[max(0, start)...]))
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

extension timespec {
    /// `date` as seconds and nanoseconds since 1970.
    init(_ date: Date) {
        let seconds = date.timeIntervalSince1970
        self.init(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
    }
}

/// Linux `renameat2(2)` (glibc 2.28+), for `RENAME_NOREPLACE`. Not exported by Swift's Glibc module.
#if os(Linux)
@_silgen_name("renameat2")
func linuxRenameat2(_ oldDirectory: Int32, _ old: UnsafePointer<CChar>, _ newDirectory: Int32, _ new: UnsafePointer<CChar>,
                    _ flags: UInt32) -> Int32
#endif

/// Linux `syncfs(2)`: flushes the whole file system holding `fd` in one call (cheaper than an
/// fsync per file for a folder of many files). Not exported by Swift's Glibc module.
#if os(Linux)
@_silgen_name("syncfs")
func linuxSyncfs(_ fd: Int32) -> Int32
#endif
