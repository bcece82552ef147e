#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The store's reader/writer lock, between the threads of this process and between processes.
///
/// Holders of `shared` are everything that stores or reads blocks: put, restore, get, cat,
/// verify. Garbage collection holds `exclusive`, so it never sweeps a block that another thread
/// or process has stored but not yet committed (invariant 4), and never moves or deletes a pack
/// under a reader, which would then report a healthy block as damaged.
///
/// Two layers, because one alone is wrong: `flock(2)` excludes processes, but all threads of a
/// process share one open file description, and on that description `LOCK_EX` *converts* a shared
/// hold instead of waiting for the other threads (and its unlock drops their hold too). So the
/// threads of this process first agree among themselves (a reader/writer lock with writer
/// preference on `state`), and only then does the process take the file lock: shared while at
/// least one of its threads holds the lock shared, exclusive for the one thread that holds it
/// exclusively.
///
/// Re-entrant per thread: a thread inside `shared` or `exclusive` may enter `shared` again. A
/// thread holding it shared must not ask for `exclusive` (that would wait for itself); it is a
/// programming error and traps.
final class StoreLock: @unchecked Sendable {
    // `fd` is immutable after init. Everything in `State` is guarded by `state`, which also wakes
    // the threads waiting for it.
    private let fd: Int32
    /// Called (holding `state`) when the last holder of this process lets go.
    private let whenReleased: @Sendable () -> Void
    /// Called before this process waits for another process's hold (it may hold `state`: it
    /// must not take the store lock).
    private let whenWaiting: @Sendable () -> Void
    private let state = NSCondition()
    private var shared: [pthread_t: Int] = [:]
    private var exclusiveOwner: pthread_t?
    private var exclusiveDepth = 0
    private var writersWaiting = 0

    init(path: String, whenReleased: @escaping @Sendable () -> Void = {}, whenWaiting: @escaping @Sendable () -> Void = {}) throws(DriveError) {
        self.whenReleased = whenReleased
        self.whenWaiting = whenWaiting
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DriveError(.io, "open", path, String(cString: strerror(errno)))
        }
    }

    deinit { close(fd) }

    /// Runs `body` holding the lock shared: many threads and processes at once, none while
    /// another holds it exclusively. Waits while a thread of this process waits for `exclusive`.
    func shared<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let me = pthread_self()
        state.lock()
        if let depth = shared[me] {
            shared[me] = depth + 1
        } else if exclusiveOwner.map({ pthread_equal($0, me) != 0 }) == true {
            exclusiveDepth += 1
        } else {
            while exclusiveOwner != nil || writersWaiting > 0 { state.wait() }
            // The first holder of this process takes the file lock. Holding `state` meanwhile
            // makes later threads wait for it, which they would have to anyway.
            if shared.isEmpty { lockFile(LOCK_SH) }
            shared[me] = 1
        }
        state.unlock()
        defer { release(me) }
        return try body()
    }

    /// Runs `body` holding the lock exclusively: waits until no other thread or process holds it.
    func exclusive<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let me = pthread_self()
        state.lock()
        if exclusiveOwner.map({ pthread_equal($0, me) != 0 }) == true {
            exclusiveDepth += 1
            state.unlock()
            defer { release(me) }
            return try body()
        }
        precondition(shared[me] == nil, "StoreLock: exclusive asked for while this thread holds it shared")
        writersWaiting += 1
        while exclusiveOwner != nil || !shared.isEmpty { state.wait() }
        writersWaiting -= 1
        exclusiveOwner = me
        exclusiveDepth = 1
        state.unlock()
        // No thread of this process holds the file lock now; other processes are waited for
        // without holding `state`, so this process's threads can still queue up behind us.
        lockFile(LOCK_EX)
        defer { release(me) }
        return try body()
    }

    private func release(_ me: pthread_t) {
        state.lock()
        defer { state.unlock() }
        if let depth = shared[me] {
            if depth > 1 {
                shared[me] = depth - 1
                return
            }
            shared[me] = nil
            if shared.isEmpty {
                whenReleased()
                Self.lockFile(fd, LOCK_UN)
                state.broadcast()
            }
            return
        }
        exclusiveDepth -= 1
        if exclusiveDepth == 0 {
            whenReleased()
            Self.lockFile(fd, LOCK_UN)
            exclusiveOwner = nil
            state.broadcast()
        }
    }

    /// Takes the file lock: at once if no other process holds it the other way, else after
    /// telling `whenWaiting` (the CLI says what it waits for).
    private func lockFile(_ operation: Int32) {
        if flock(fd, operation | LOCK_NB) == 0 { return }
        whenWaiting()
        Self.lockFile(fd, operation)
    }

    /// `flock(2)`, retried when a signal interrupts the wait.
    private static func lockFile(_ fd: Int32, _ operation: Int32) {
        while flock(fd, operation) != 0 && errno == EINTR {}
    }
}
