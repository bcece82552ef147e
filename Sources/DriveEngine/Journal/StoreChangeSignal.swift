#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Wakes a waiter when any process writes the store's metadata: an inotify watch on the store
/// folder for writes to `meta.sqlite-wal`, where every SQLite commit lands first (WAL mode).
///
/// One per wait: reading events consumes them, so concurrent waiters each hold their own. Linux
/// only; where inotify is unavailable (or out of watches), `wait` just sleeps, and the caller's
/// re-check of the journal makes it a poll. Not thread-safe: one thread uses it, then closes it.
struct StoreChangeSignal: ~Copyable {
    private let fd: Int32

    init(folder: String) {
        #if os(Linux)
        var fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        if fd >= 0 && inotify_add_watch(fd, folder, UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO)) < 0 {
            close(fd)
            fd = -1
        }
        self.fd = fd
        #else
        self.fd = -1
        #endif
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Waits up to `seconds` for a write to the WAL; returns early on one. Spurious returns are
    /// fine: the caller checks the journal again.
    func wait(seconds: Double) {
        guard fd >= 0 else {
            usleep(useconds_t(max(0, min(seconds, 3600)) * 1e6))
            return
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return }
            let ready = poll(&descriptor, 1, Int32(min(left * 1000, Double(Int32.max)).rounded(.up)))
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            // Timed out, or the WAL was written; other files of the folder: wait on.
            if ready == 0 || drainNamesWAL() { return }
        }
    }

    /// Reads the pending events; true if one was about the WAL file (others: ignore and wait on).
    private func drainNamesWAL() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var sawWAL = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let length = buffer.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)) }
                let nameStart = offset + MemoryLayout<inotify_event>.size
                if length > 0, nameStart + length <= count {
                    let name = buffer[nameStart..<(nameStart + length)].prefix { $0 != 0 }
                    if String(decoding: name, as: UTF8.self).hasSuffix("-wal") { sawWAL = true }
                }
                offset = nameStart + length
            }
        }
        return sawWAL
    }
}
