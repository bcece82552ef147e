#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB

/// What a sync did; for `deviceStatus`, what one would do.
public struct SyncReport: Sendable, Equatable {
    public var device: String
    /// Local files sent to the drive (new or changed; conflicts included).
    public var uploaded = 0
    /// Files written into the device folder.
    public var downloaded = 0
    /// Files and folders deleted locally and moved to the drive's trash.
    public var trashedOnDrive = 0
    /// Local files removed because they were deleted on the drive.
    public var deletedLocally = 0
    /// Local renames and moves kept as moves on the drive (history follows the item).
    public var movedOnDrive = 0
    /// Files moved or renamed in the device folder because they moved on the drive.
    public var movedLocally = 0
    public var foldersMadeOnDrive = 0
    public var foldersMadeLocally = 0
    /// Local edits kept as conflict versions beside their heads (the head comes down instead).
    public var conflicts: [String] = []
    /// Local entries left out, with why (unreadable, a name the drive refuses, read-only share).
    public var skipped: [SkippedEntry] = []
    /// Files that changed again while the sync ran: the next sync takes them.
    public var deferred = 0
    public var bytesUp: Int64 = 0
    public var bytesDown: Int64 = 0
    /// Blocks the drive did not have (only these were stored).
    public var newBlocks = 0

    public init(device: String) { self.device = device }

    /// Whether the sync changed anything on either side.
    public var changedAnything: Bool {
        uploaded + downloaded + trashedOnDrive + deletedLocally + movedOnDrive + movedLocally + foldersMadeOnDrive
            + foldersMadeLocally > 0
    }
}

public struct SkippedEntry: Sendable, Equatable, Codable {
    public var path: String
    public var reason: String
}

/// How far a device is from its drive folder, without changing either: `cairn device status`.
public struct DeviceStatus: Sendable, Equatable {
    public var device: Device
    /// Local changes a sync would send (files and folders made, changed, moved or deleted).
    public var pendingUp: Int
    /// Drive changes a sync would bring down.
    public var pendingDown: Int
    /// When the oldest pending change was made (nil when nothing is pending).
    public var oldestPending: Date?
    public var skipped: [SkippedEntry]
    /// Open conflicts on files below the device's drive folder.
    public var openConflicts: Int
}

/// What a device last synced of one file: the `localFile` record of its path.
struct SyncedFile {
    var rel: String
    var localPath: String
    var version: Int64
    var item: Int64
    var size: Int64
    var mtimeNs: Int64
    var inode: Int64

    func matches(_ entry: LocalEntry) -> Bool {
        size == entry.size && mtimeNs == entry.mtimeNs && inode == entry.inode
    }
}

/// One live item below a device's drive folder.
struct RemoteEntry {
    var rel: String
    var item: Int64
    var isFolder: Bool
    var head: Int64?
    var size: Int64
    var modifiedAt: Date
    var linkTarget: String?
}

/// The three sides a sync compares: the device folder now, what the device last synced, and the
/// drive folder now. Paths are relative to the device folder, '/'-separated, names NFC.
struct SyncSides {
    var localFiles: [String: LocalEntry] = [:]
    var localFolders: Set<String> = []
    var synced: [String: SyncedFile] = [:]
    var syncedFolders: Set<String> = []
    var remote: [String: RemoteEntry] = [:]
    var skipped: [SkippedEntry] = []
    /// Temporary files a sync or get left when it was killed before renaming them into place.
    var temporary: [String] = []

    static func key(_ components: [String]) -> String { components.map(\.canonicalName).joined(separator: "/") }

    /// The key of the local `path` below a folder whose path (with its '/') is `prefix` bytes
    /// long: NFC, as the drive's names are (normalising never crosses a '/').
    static func key(path: String, prefix: Int) -> String {
        String(decoding: path.utf8.dropFirst(prefix), as: UTF8.self).canonicalName
    }

    /// Local files that differ from what was last synced (new ones included).
    var changed: [LocalEntry] {
        localFiles.values.filter { entry in synced[Self.key(entry.components)].map { !$0.matches(entry) } ?? true }
            .sorted { $0.path < $1.path }
    }

    /// Local folders the drive does not have and the device never synced (one it synced that
    /// left the drive was removed there: it is not made again).
    var foldersUp: [String] {
        localFolders.filter { remote[$0] == nil && !syncedFolders.contains($0) }.sorted()
    }

    /// Synced files that are no longer in the device folder (and not merely ignored or unreadable).
    func gone(_ rules: IgnoreRules) -> [SyncedFile] {
        synced.values.filter { file in
            localFiles[file.rel] == nil && !rules.ignores(file.rel.split(separator: "/").map(String.init), isFolder: false)
                && Drive.localPathIsGone(file.localPath)
        }.sorted { $0.rel < $1.rel }
    }

    /// Drive files whose head is not what the device has (new ones included).
    var behind: [RemoteEntry] {
        remote.values.filter { !$0.isFolder && $0.head != nil && synced[$0.rel]?.version != $0.head }.sorted { $0.rel < $1.rel }
    }

    /// Synced files whose item left the drive folder, or whose path another item holds now.
    var removedRemotely: [SyncedFile] {
        synced.values.filter { remote[$0.rel]?.item != $0.item }.sorted { $0.rel > $1.rel }
    }
}

extension DriveSession {
    /// Syncs device `name` once both ways: local changes go up (only blocks the drive lacks are
    /// stored; a rename is kept as a move; a deletion goes to the trash; an edit from a version
    /// that is no longer the head is kept as a conflict version), then drive changes come down
    /// (each file written to a temporary name and renamed into place only if the local file is
    /// still what the device last synced; a file deleted on the drive is removed only if
    /// unchanged). A delete against an edit keeps the edit. One sync of a device runs at a time.
    ///
    /// A local file modified less than `settle` seconds ago is left for the next sync (counted
    /// in `deferred`): a watch passes its quiet time, so a file still being written is not sent
    /// half-done.
    @discardableResult
    public func sync(device name: String, settle: Double = 0, options: TransferOptions = .init()) throws(DriveError) -> SyncReport {
        let device = try self.device(named: name, "sync")
        var session = self
        session.device = device.name
        let lock = try DeviceLock(device, store: drive.location)
        defer { lock.release() }
        let link = LocalDriveLink(session: session)
        do {
            let report = try drive.lock.shared { () throws(DriveError) -> SyncReport in
                do {
                    return try session.lockedSync(device, link: link, settle: settle, options: options)
                } catch {
                    throw DriveError.wrap(error, "sync", device.name)
                }
            }
            do { try link.recordSync(device, error: nil, skipped: report.skipped.count) } catch { throw DriveError.wrap(error, "sync", name) }
            return report
        } catch let error as DriveError {
            try? link.recordSync(device, error: error.description, skipped: nil)
            throw error
        } catch {
            throw DriveError.wrap(error, "sync", name)
        }
    }

    /// How far device `name` is from its drive folder; changes nothing.
    public func deviceStatus(_ name: String) throws(DriveError) -> DeviceStatus {
        try status(of: try self.device(named: name, "device status"), openConflicts: try conflicts(all: false))
    }

    /// `device`'s status, its open conflicts counted among `open` (this user's, read once for all devices).
    private func status(of device: Device, openConflicts open: [ConflictInfo]) throws(DriveError) -> DeviceStatus {
        let name = device.name
        let rules = IgnoreRules.load(folder: device.folder)
        let sides: SyncSides
        do { sides = try self.sides(device, rules, "device status", making: false, link: LocalDriveLink(session: self)) } catch { throw DriveError.wrap(error, "device status", name) }
        let changed = sides.changed
        let gone = sides.gone(rules)
        let changedRels = Set(changed.map { SyncSides.key($0.components) })
        let behind = sides.behind.filter { !changedRels.contains($0.rel) }
        let goneRels = Set(gone.map(\.rel))
        let removed = sides.removedRemotely.filter { sides.remote[$0.rel] == nil && !goneRels.contains($0.rel) }
        let foldersUp = sides.foldersUp
        var oldest: [Date] = changed.map { Date(timeIntervalSince1970: Double($0.mtimeNs) / 1e9) }
        oldest += behind.map(\.modifiedAt)
        let top = try DrivePath(device.drivePath)
        let conflicts = open.filter { $0.path.isWithin(top) }
        return DeviceStatus(device: device, pendingUp: changed.count + gone.count + foldersUp.count,
                            pendingDown: behind.count + removed.count, oldestPending: oldest.min(), skipped: sides.skipped,
                            openConflicts: conflicts.count)
    }

    /// Every device's status, by name; a device that cannot be looked at (its folder is gone)
    /// is listed with nothing pending and why as its error.
    public func deviceStatuses() throws(DriveError) -> [DeviceStatus] {
        var out: [DeviceStatus] = []
        let open = try conflicts(all: false)
        for device in try devices() {
            do {
                out.append(try status(of: device, openConflicts: open))
            } catch {
                var failed = device
                failed.lastError = error.reason
                out.append(DeviceStatus(device: failed, pendingUp: 0, pendingDown: 0, oldestPending: nil, skipped: [], openConflicts: 0))
            }
        }
        return out
    }

    /// Reads the three sides. The drive folder is made when missing (`making`), so a new device
    /// bound to a new path can push into it.
    func sides(_ device: Device, _ rules: IgnoreRules, _ operation: String, making: Bool, link: some DriveLink) throws -> SyncSides {
        var st = stat()
        guard lstat(device.folder, &st) == 0, st.st_mode & S_IFMT == S_IFDIR else {
            // Never read a missing folder as "everything deleted".
            throw DriveError(.notFound, operation, device.folder, "the device folder is missing",
                             hint: "make it again, or 'cairn device remove \(device.name)'")
        }
        let root = try DrivePath(device.drivePath)
        if making { try link.makeFolder(root) }
        // The drive's side is read on other threads (two readers of the pool at once) while
        // this one reads the folder.
        let synced = BackgroundWork { try link.syncedState(device) }
        let remote = BackgroundWork { try link.tree(root, rules) }
        var sides: SyncSides
        do {
            sides = try localSide(device, rules, operation)
        } catch {
            synced.wait()
            remote.wait()
            throw error
        }
        (sides.synced, sides.syncedFolders) = try synced.value()
        sides.remote = try remote.value()
        return sides
    }

    /// The device folder now: its files and folders by relative path, what was skipped, and the
    /// temporary files a killed sync left.
    private func localSide(_ device: Device, _ rules: IgnoreRules, _ operation: String) throws -> SyncSides {
        var sides = SyncSides()
        var skipped: [SkippedEntry] = []
        var temporary: [String] = []
        let leniency = ScanLeniency(ignores: { components, isFolder in
            if !isFolder, let name = components.last, IgnoreRules.isTemporary(name) {
                temporary.append(device.folder + "/" + components.joined(separator: "/"))
                return true
            }
            return rules.ignores(components, isFolder: isFolder)
        }, skip: { skipped.append(SkippedEntry(path: $0, reason: $1)) })
        let (entries, odd) = try LocalTree.scan(device.folder, operation, leniency: leniency)
        skipped += odd.map { SkippedEntry(path: $0, reason: "not a regular file, folder or link") }
        let prefix = device.folder.utf8.count + 1
        sides.localFiles.reserveCapacity(entries.count)
        for entry in entries {
            let key = SyncSides.key(path: entry.path, prefix: prefix)
            if entry.isFolder { sides.localFolders.insert(key) } else { sides.localFiles[key] = entry }
        }
        sides.skipped = skipped
        sides.temporary = temporary
        return sides
    }

    private func lockedSync(_ device: Device, link: some DriveLink, settle: Double, options: TransferOptions) throws -> SyncReport {
        var report = SyncReport(device: device.name)
        let rules = IgnoreRules.load(folder: device.folder)
        let root = try DrivePath(device.drivePath)
        var sides = try self.sides(device, rules, "sync", making: true, link: link)
        report.skipped = sides.skipped
        // Only a sync writes in the device folder, and this one holds the device's lock: a
        // temporary file there is what a killed one left.
        for path in sides.temporary { unlink(path) }
        let pushed = try push(device, root, rules, &sides, &report, settle: settle, link, options)
        // What the push changed, on either side, is read again; when it wrote nothing the
        // sides are as they were (a no-change sync reads the folder and the drive once).
        if pushed || report.deferred > 0 {
            sides = try self.sides(device, rules, "sync", making: false, link: link)
        }
        try pull(device, root, rules, sides, &report, link, options)
        return report
    }

    // MARK: Push

    /// Sends the local changes; returns whether it wrote anything (to the drive or the device's records).
    private func push(_ device: Device, _ root: DrivePath, _ rules: IgnoreRules, _ sides: inout SyncSides,
                      _ report: inout SyncReport, settle: Double, _ link: some DriveLink, _ options: TransferOptions) throws -> Bool {
        let canWrite = try link.canWrite(root)
        var changed = sides.changed
        var gone = sides.gone(rules)
        if settle > 0 {
            let recent = Int64((Date().timeIntervalSince1970 - settle) * 1e9)
            changed.removeAll { entry in
                guard entry.mtimeNs > recent else { return false }
                report.deferred += 1
                // Not sent, so not pulled over either: the device's record stays as it was.
                sides.localFiles[SyncSides.key(entry.components)] = nil
                return true
            }
        }
        let foldersUp = sides.foldersUp
        guard canWrite else {
            if !changed.isEmpty || !gone.isEmpty || !foldersUp.isEmpty {
                report.skipped.append(SkippedEntry(path: device.folder, reason: "local changes not sent: you may only view \(root)"))
            }
            return false
        }
        // A path the drive holds as the other kind (a folder for a file, or the reverse), or one
        // it reserves (/shared): skipped, so that one such entry does not stop the rest.
        func reserved(_ rel: String) -> Bool {
            !Self.isSharedPath(root) && root.appending(path: rel).components.first == Self.sharedRoot
        }
        changed.removeAll { entry in
            let rel = SyncSides.key(entry.components)
            if entry.linkTarget == nil && access(entry.path, R_OK) != 0 {
                report.skipped.append(SkippedEntry(path: entry.path, reason: "cannot read local file: \(String(cString: strerror(errno)))"))
                return true
            }
            if reserved(rel) {
                report.skipped.append(SkippedEntry(path: entry.path, reason: "the drive reserves this name (/shared holds what others share with you)"))
                return true
            }
            guard sides.remote[rel]?.isFolder == true else { return false }
            report.skipped.append(SkippedEntry(path: entry.path, reason: "a folder is at this path on the drive"))
            return true
        }
        let folders = foldersUp.filter { rel in
            let clash = sides.remote.keys.contains(rel) || rel.split(separator: "/").indices.dropLast().contains { i in
                sides.remote[rel.split(separator: "/")[...i].joined(separator: "/")]?.isFolder == false
            }
            if clash { report.skipped.append(SkippedEntry(path: device.folder + "/" + rel, reason: "a file is at this path on the drive")) }
            if reserved(rel) {
                report.skipped.append(SkippedEntry(path: device.folder + "/" + rel, reason: "the drive reserves this name (/shared holds what others share with you)"))
            }
            return !clash && !reserved(rel)
        }

        // Renames and moves: a new path whose file has the inode, size and mtime of a synced file
        // that is gone, while the drive still has that file as synced, is a move on the drive.
        var goneByInode: [Int64: SyncedFile] = [:]
        for file in gone { goneByInode[file.inode] = file }
        var moves: [(from: SyncedFile, to: LocalEntry)] = []
        changed.removeAll { entry in
            let key = SyncSides.key(entry.components)
            guard sides.synced[key] == nil, sides.remote[key] == nil, let from = goneByInode[entry.inode],
                  from.size == entry.size, from.mtimeNs == entry.mtimeNs,
                  let remote = sides.remote[from.rel], remote.item == from.item, remote.head == from.version else { return false }
            goneByInode[entry.inode] = nil
            moves.append((from, entry))
            return true
        }
        let moved = Set(moves.map(\.from.rel))
        gone.removeAll { moved.contains($0.rel) }

        let sent = try link.send(changed, folders: folders.map { root.appending(path: $0) }, below: root, options: options)
        report.foldersMadeOnDrive = sent.foldersMade
        report.uploaded = sent.stored + sent.conflicts.count
        report.conflicts = sent.conflicts
        report.bytesUp = sent.bytesRead
        report.newBlocks = sent.newBlocks

        // Moves, deletions and emptied folders, in one transaction.
        let goneFolders = sides.syncedFolders.filter { !sides.localFolders.contains($0) && Drive.localPathIsGone(device.folder + "/" + $0) }
        guard !moves.isEmpty || !gone.isEmpty || !goneFolders.isEmpty else { return !changed.isEmpty || !folders.isEmpty }
        let counts = try link.apply(device, below: root, moves: moves, deletions: gone, goneFolders: goneFolders)
        report.movedOnDrive = counts.moved
        report.trashedOnDrive = counts.trashed
        return true
    }

    // MARK: Pull

    private func pull(_ device: Device, _ root: DrivePath, _ rules: IgnoreRules, _ sides: SyncSides,
                      _ report: inout SyncReport, _ link: some DriveLink, _ options: TransferOptions) throws {
        let base = device.folder
        func local(_ rel: String) -> String { base + "/" + rel }
        // Folders first, parents before children; a file in the way is left (and reported).
        var folders: [String] = []
        for rel in sides.remote.values.filter(\.isFolder).map(\.rel).sorted() {
            if !sides.localFolders.contains(rel) {
                if mkdir(local(rel), 0o755) == 0 {
                    report.foldersMadeLocally += 1
                } else if errno != EEXIST || !Self.isFolder(local(rel)) {
                    report.skipped.append(SkippedEntry(path: local(rel), reason: "cannot make the folder: \(String(cString: strerror(errno)))"))
                    continue
                }
            }
            folders.append(rel)
        }

        // Moves on the drive: the synced file of the same item, unchanged, is renamed locally.
        var synced = sides.synced
        var byItem: [Int64: SyncedFile] = [:]
        for file in synced.values { byItem[file.item] = file }
        var movedRecords: [(from: String, to: LocalEntry)] = []
        for entry in sides.behind where synced[entry.rel] == nil {
            guard let from = byItem[entry.item], sides.remote[from.rel]?.item != entry.item,
                  let now = sides.localFiles[from.rel], from.matches(now), Drive.localPathIsGone(local(entry.rel)),
                  Glibc.rename(from.localPath, local(entry.rel)) == 0, let after = try? LocalTree.stat(local(entry.rel), "sync")
            else { continue }
            synced[from.rel] = nil
            var record = from
            record.rel = entry.rel
            record.localPath = after.path
            synced[entry.rel] = record
            movedRecords.append((from.localPath, after))
            report.movedLocally += 1
        }

        // Deleted on the drive (or its path taken by another item): removed if unchanged.
        var forget: [String] = movedRecords.map(\.from)
        for file in sides.removedRemotely where synced[file.rel]?.item == file.item && sides.remote[file.rel] == nil {
            guard let now = try? LocalTree.stat(file.localPath, "sync") else {
                forget.append(file.localPath)
                continue
            }
            guard file.matches(now) else { continue } // edited: the next push sends it as a new file
            if unlink(file.localPath) == 0 {
                report.deletedLocally += 1
                forget.append(file.localPath)
            }
        }

        // Changed or new on the drive: written beside, renamed over only what was synced.
        let expected = synced
        var downloads: [RemoteEntry] = []
        for entry in sides.behind {
            if let had = expected[entry.rel], had.version == entry.head { continue }
            if expected[entry.rel] == nil, sides.localFiles[entry.rel] != nil { continue } // appeared meanwhile: pushed next
            downloads.append(entry)
        }
        let received = try link.receive(downloads, into: device, options: options) { final in
            let rel = SyncSides.key(path: final, prefix: base.utf8.count + 1)
            guard let had = expected[rel] else { return Drive.localPathIsGone(final) }
            guard let now = try? LocalTree.stat(final, "sync") else { return true }
            return had.matches(now)
        }
        report.downloaded = received.written
        report.deferred += received.declined
        report.bytesDown = received.bytes

        // Folders removed on the drive: removed locally once empty (deepest first).
        let goneFolders = sides.syncedFolders.filter { sides.remote[$0] == nil }.sorted(by: >)
        for rel in goneFolders { rmdir(local(rel)) }
        try link.recordPull(device, forget: forget, moved: movedRecords, folders: folders,
                            goneFolders: goneFolders.filter { Drive.localPathIsGone(local($0)) })
    }

    static func isFolder(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }
}

extension DrivePath {
    /// This path with a '/'-separated relative path below it.
    func appending(path rel: String) -> DrivePath {
        DrivePath(validated: components + rel.split(separator: "/").map(String.init))
    }
}

/// One sync of a device at a time, across threads and processes: an exclusive `flock` on
/// `device-ID.lock` in the store folder (nothing of Cairn's appears among the user's files),
/// released when the process dies.
struct DeviceLock: ~Copyable {
    let fd: Int32

    init(_ device: Device, store: URL) throws(DriveError) {
        let path = store.path + "/device-\(device.id).lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DriveError(.io, "sync", device.name, "cannot open the device lock \(path)") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw DriveError(.busy, "sync", device.name, "another sync of this device is running", hint: "wait for it to finish")
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
