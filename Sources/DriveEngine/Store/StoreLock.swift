#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An advisory lock on the store's `lock` file between cairn processes.
///
/// Writers (put, restore, trash) hold it shared; garbage collection holds it exclusive, so it
/// never sweeps a block that another process has stored but not yet committed (invariant 4).
final class StoreLock: @unchecked Sendable {
    // `fd` is immutable after init; `holders` (threads of this process inside `shared`) is
    // guarded by `mutex`, so nested or concurrent shared sections keep the flock until the last.
    private let fd: Int32
    private let mutex = NSLock()
    private var holders = 0

    init(path: String) throws(DriveError) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DriveError(.io, "open", path, String(cString: strerror(errno)))
        }
    }

    deinit { close(fd) }

    /// Runs `body` holding the lock shared (many writers at once).
    func shared<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        mutex.withLock {
            if holders == 0 { flock(fd, LOCK_SH) }
            holders += 1
        }
        defer {
            mutex.withLock {
                holders -= 1
                if holders == 0 { flock(fd, LOCK_UN) }
            }
        }
        return try body()
    }

    /// Runs `body` holding the lock exclusively; waits for writers to finish.
    func exclusive<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
