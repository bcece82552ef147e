#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Wakes a waiter when any process writes the store's metadata: every commit writes the store's
/// `commits` file once it is visible (``CommitSignal``), after landing in `meta.sqlite-wal` (WAL
/// mode), and the process's ``StoreChangeHub`` watches the store folder for writes to either.
///
/// Make one before the first look at what you wait for, so a commit between the look and the
/// wait is not missed: it remembers how many writes it has seen. One thread uses it.
struct StoreChangeSignal: ~Copyable {
    private let watch: StoreChangeHub.Watch?
    private var seen: UInt64

    init(folder: String) {
        watch = StoreChangeHub.shared.subscribe(folder: folder)
        seen = watch.map { StoreChangeHub.shared.writes(of: $0) } ?? 0
    }

    deinit { if let watch { StoreChangeHub.shared.unsubscribe(watch) } }

    /// Waits up to `seconds` for a write to the WAL since the last wait (or since this signal was
    /// made); returns early on one. Spurious returns are fine: the caller looks again. Without
    /// inotify (unavailable, or the user's instances used up by other processes) it just sleeps,
    /// and the caller's look makes it a poll.
    mutating func wait(seconds: Double) {
        guard let watch else {
            usleep(useconds_t(max(0, min(seconds, 3600)) * 1e6))
            return
        }
        seen = StoreChangeHub.shared.wait(watch, after: seen, seconds: seconds)
    }
}

/// The process's one inotify instance, shared by every wait on every store it opens.
///
/// A user may hold only 128 inotify instances (`fs.inotify.max_user_instances`) across all their
/// processes, and a process of ours runs many waits at once (the full-screen app's live view, its
/// notification loop, workers, tests with hundreds of stores): one instance per wait would run
/// out and silently turn every wake-up into a slow poll. So each process holds one, with one
/// watch per store folder (counted, removed when its last waiter leaves), and one thread reads
/// its events and wakes the waiters of the folder whose WAL was written.
final class StoreChangeHub: @unchecked Sendable { // every field is guarded by `condition`
    static let shared = StoreChangeHub()

    /// A folder being watched: the kernel's watch descriptor.
    struct Watch: Hashable { fileprivate let descriptor: Int32 }

    private struct Folder {
        var waiters = 0
        var writes: UInt64 = 0
    }

    private let condition = NSCondition()
    private var fd: Int32 = -1
    private var folders: [Int32: Folder] = [:]

    private init() {}

    /// Watches `folder` (or joins the watch already there); nil when inotify is not available.
    func subscribe(folder: String) -> Watch? {
        #if os(Linux)
        condition.lock()
        defer { condition.unlock() }
        if fd < 0 {
            fd = inotify_init1(Int32(IN_CLOEXEC))
            guard fd >= 0 else { return nil } // tried again by the next subscriber
            let reader = Thread { [self, fd] in readEvents(fd) }
            reader.name = "cairn.store-changes"
            reader.qualityOfService = .userInitiated
            reader.start()
        }
        // The same folder (by any path to it) gives the same descriptor.
        let descriptor = inotify_add_watch(fd, folder, UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO))
        guard descriptor >= 0 else { return nil }
        folders[descriptor, default: Folder()].waiters += 1
        return Watch(descriptor: descriptor)
        #else
        return nil
        #endif
    }

    /// Leaves the watch; the last waiter to leave removes it.
    func unsubscribe(_ watch: Watch) {
        condition.lock()
        defer { condition.unlock() }
        guard var folder = folders[watch.descriptor] else { return } // the folder was deleted
        folder.waiters -= 1
        if folder.waiters > 0 {
            folders[watch.descriptor] = folder
        } else {
            folders[watch.descriptor] = nil
            #if os(Linux)
            inotify_rm_watch(fd, watch.descriptor)
            #endif
        }
    }

    /// How many writes to the folder's WAL this process has seen.
    func writes(of watch: Watch) -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return folders[watch.descriptor]?.writes ?? 0
    }

    /// Blocks until the folder's WAL has been written more than `seen` times, or `seconds` pass,
    /// or the folder is deleted; returns the count it saw.
    func wait(_ watch: Watch, after seen: UInt64, seconds: Double) -> UInt64 {
        let deadline = Date().addingTimeInterval(max(0, seconds))
        condition.lock()
        defer { condition.unlock() }
        while true {
            guard let folder = folders[watch.descriptor] else { return seen &+ 1 }
            if folder.writes != seen { return folder.writes }
            if !condition.wait(until: deadline) { return folder.writes }
        }
    }

    /// The reader thread: blocks on the instance, wakes the waiters of each folder whose WAL was
    /// written (or which was deleted: its watch is gone, its waiters look again and time out).
    private func readEvents(_ fd: Int32) {
        #if os(Linux)
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        let header = MemoryLayout<inotify_event>.size
        while true {
            let count = read(fd, buffer, capacity)
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
            var written = Set<Int32>(), removed = Set<Int32>()
            var offset = 0
            while offset + header <= count {
                let event = buffer.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                let length = Int(event.len)
                if event.mask & UInt32(IN_IGNORED) != 0 {
                    removed.insert(event.wd)
                } else if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    written.formUnion(watchedFolders())
                } else if length > 0, offset + header + length <= count {
                    let name = UnsafeRawBufferPointer(start: buffer + offset + header, count: length).prefix { $0 != 0 }
                    let file = String(decoding: name, as: UTF8.self)
                    if file.hasSuffix("-wal") || file == CommitSignal.fileName { written.insert(event.wd) }
                }
                offset += header + length
            }
            guard !written.isEmpty || !removed.isEmpty else { continue }
            condition.lock()
            for descriptor in written { folders[descriptor]?.writes &+= 1 }
            for descriptor in removed { folders[descriptor] = nil }
            condition.broadcast()
            condition.unlock()
        }
        #endif
    }

    /// Every watched folder (an overflowed queue may have dropped any of their events).
    private func watchedFolders() -> [Int32] {
        condition.lock()
        defer { condition.unlock() }
        return Array(folders.keys)
    }
}
