#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Changes in a device folder, through inotify: one watch on each of its folders. Without
/// inotify (none left for this user) it reports a change every few seconds, so a watch still
/// syncs, only later.
final class FolderWatch {
    private let fd: Int32

    init() {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Watches `folders` (absolute) too. Adding a folder watched already only renews its watch
    /// (the kernel keys watches by inode), and a folder removed drops its own: so each round
    /// adds them all again.
    func watch(_ folders: [String]) {
        guard fd >= 0 else { return }
        let mask = IN_CREATE | IN_DELETE | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_MODIFY | IN_DELETE_SELF
        for folder in folders { inotify_add_watch(fd, folder, UInt32(mask)) }
    }

    /// Waits up to `seconds` for a change; true when one came (its events are read and dropped).
    func wait(seconds: Double) -> Bool {
        guard fd >= 0 else {
            usleep(useconds_t(seconds * 1_000_000))
            return seconds >= 3
        }
        var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pollFD, 1, Int32(seconds * 1000)) > 0 else { return false }
        drain()
        return true
    }

    /// Reads and drops every event queued now.
    func drain() {
        guard fd >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}

/// What a watch tells its caller after each round.
public enum WatchRound: Sendable {
    case synced(SyncReport)
    case failed(DriveError)
}

extension DriveSession {
    /// Keeps device `name` in sync until `stop` says so: a sync now, then one whenever the
    /// device folder changes (once it has been quiet for `quiet` seconds, so a file still being
    /// written is not sent half-done, yet at most `maxDelay` seconds after the first change) or
    /// a change on the drive concerns this device, and a full one every `rescan` seconds in
    /// any case. A failed round is reported and retried at the next change.
    public func watch(device name: String, quiet: Double = 0.3, maxDelay: Double = 2, rescan: Double = 60,
                      options: TransferOptions = .init(), stop: @Sendable () -> Bool = { false },
                      round: (WatchRound) -> Void) throws(DriveError) {
        let device = try self.device(named: name, "sync")
        let watcher = FolderWatch()
        var seen = try drive.latestSequence()
        var last = Date.distantPast
        var due = true
        var retry: Date?
        while !stop() {
            if due {
                watcher.watch(localFolders(device))
                seen = try drive.latestSequence()
                do {
                    let report = try sync(device: name, settle: quiet, options: options)
                    round(.synced(report))
                    // A file still being written: look again once it may have settled.
                    if report.deferred > 0 { retry = Date().addingTimeInterval(quiet) }
                } catch {
                    round(.failed(error))
                }
                // What the sync itself wrote in the folder is not a change to send back.
                watcher.drain()
                last = Date()
                due = false
            }
            if watcher.wait(seconds: 0.2) {
                let first = Date()
                while watcher.wait(seconds: quiet), Date().timeIntervalSince(first) < maxDelay {}
                due = true
                continue
            }
            let latest = try drive.latestSequence()
            if latest > seen {
                due = try concerns(device, after: seen)
                seen = latest
            }
            if Date().timeIntervalSince(last) >= rescan { due = true }
            if let at = retry, Date() >= at {
                retry = nil
                due = true
            }
        }
    }

    /// Whether a journal entry after `seq` that this user can see is at or below the device's
    /// drive folder: the per-user change feed a device follows (paths as this user sees them).
    public func concerns(_ device: Device, after seq: Int64) throws(DriveError) -> Bool {
        do { return !(try LocalDriveLink(session: self).changes(device, after: seq).isEmpty) } catch { throw DriveError.wrap(error, "sync", device.name) }
    }

    /// The changes after `seq` this user can see at or below the device's drive folder, as
    /// paths relative to the device folder ("" for the folder itself), oldest first.
    public func deviceChanges(_ device: Device, after seq: Int64, limit: Int = 1000) throws(DriveError) -> [(seq: Int64, kind: ChangeKind, path: String)] {
        let top = try DrivePath(device.drivePath)
        var out: [(Int64, ChangeKind, String)] = []
        for entry in try drive.journal(after: seq, limit: limit) {
            guard let shown = try visiblePath(of: entry), let path = try? DrivePath(shown), path.isWithin(top) else { continue }
            out.append((entry.seq ?? 0, entry.kind, path.components.dropFirst(top.components.count).joined(separator: "/")))
        }
        return out
    }

    /// The device folder and every folder below it that a sync looks into.
    private func localFolders(_ device: Device) -> [String] {
        let rules = IgnoreRules.load(folder: device.folder)
        let leniency = ScanLeniency(ignores: { rules.ignores($0, isFolder: $1) }, skip: { _, _ in })
        let entries = (try? LocalTree.scan(device.folder, "sync", leniency: leniency).entries) ?? []
        return [device.folder] + entries.filter(\.isFolder).map(\.path)
    }
}
