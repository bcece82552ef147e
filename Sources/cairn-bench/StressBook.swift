import Blocks
import Foundation

/// Which contents each drive path of a stress run may hold, as the writers put them.
///
/// A path's head must be a content some put sent there (`everPut`); at the end it must be the
/// last committed one or one from a put that failed after it (a failed put may or may not have
/// committed), or the path may be gone if an `rm` of it succeeded since. Contents are known by
/// their SHA-256 (`BlockID`). A put and an `rm` of one path never overlap (`exclusive`), so the
/// order they are recorded in is the order they happened in; all else runs at once.
/// Shared by all worker threads; every access holds `lock`.
final class StressBook: @unchecked Sendable {
    private struct Entry {
        var everPut: Set<BlockID> = []
        var committed: BlockID?
        var pending: Set<BlockID> = []
        var removed = false
    }

    /// What the end state of one path may be.
    struct Expectation: Sendable {
        var allowed: Set<BlockID>
        /// Whether the path may be gone (removed, and no later put committed for sure).
        var mayBeGone: Bool
        /// Whether the path must be gone.
        var mustBeGone: Bool
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:] // guarded by `lock`
    private var pathLocks: [String: NSLock] = [:] // guarded by `lock`

    /// Runs `body` while no other writer of `path` (a put or an rm through this book) runs.
    func exclusive<T>(_ path: String, _ body: () throws -> T) rethrows -> T {
        let pathLock = lock.withLock {
            if let existing = pathLocks[path] { return existing }
            let made = NSLock()
            pathLocks[path] = made
            return made
        }
        return try pathLock.withLock(body)
    }

    /// Every drive path the book knows, sorted.
    var paths: [String] { lock.withLock { entries.keys.sorted() } }

    /// Before a put of `content` to `path` starts.
    func willPut(_ path: String, _ content: BlockID) {
        lock.withLock { _ = entries[path, default: Entry()].everPut.insert(content) }
    }

    /// After that put ended: committed, or failed (it may have committed all the same).
    func didPut(_ path: String, _ content: BlockID, committed: Bool) {
        lock.withLock {
            if committed {
                entries[path, default: Entry()].committed = content
                entries[path]?.pending = []
                entries[path]?.removed = false
            } else {
                entries[path, default: Entry()].pending.insert(content)
            }
        }
    }

    /// After an `rm` of `path` succeeded.
    func didRemove(_ path: String) {
        lock.withLock {
            entries[path]?.removed = true
            entries[path]?.pending = []
        }
    }

    /// Whether `content` was ever sent to `path` (what a concurrent read may see).
    func wasPut(_ path: String, _ content: BlockID) -> Bool {
        lock.withLock { entries[path]?.everPut.contains(content) ?? false }
    }

    /// What `path` may hold once every writer has stopped.
    func expectation(_ path: String) -> Expectation {
        lock.withLock {
            let entry = entries[path] ?? Entry()
            var allowed = entry.pending
            if !entry.removed, let committed = entry.committed { allowed.insert(committed) }
            let mayBeGone = entry.removed || entry.committed == nil
            return Expectation(allowed: allowed, mayBeGone: mayBeGone, mustBeGone: mayBeGone && allowed.isEmpty)
        }
    }
}
