import Foundation

/// A small cache of hot lookups: (user, path) → item id.
///
/// Invalidated whole on every write through this `Drive`, and when another process changed the
/// drive (the journal's latest sequence moved: every change appends to it), so a hit is never
/// stale. Thread-safe via `lock`.
final class MetadataCache: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var paths: [PathKey: Int64] = [:]
    private var journalSeq: Int64 = -1

    struct PathKey: Hashable {
        var root: Int64
        var path: DrivePath
    }

    /// Clears the cache if the journal moved since it was filled.
    func validate(journalSeq seq: Int64) {
        lock.withLock {
            if seq != journalSeq {
                paths.removeAll(keepingCapacity: true)
                journalSeq = seq
            }
        }
    }

    /// The cached item at `path`, if the cache was filled at journal sequence `seq`.
    func item(root: Int64, path: DrivePath, journalSeq seq: Int64) -> Int64? {
        lock.withLock { seq == journalSeq ? paths[PathKey(root: root, path: path)] : nil }
    }

    /// Remembers a lookup made in a snapshot at journal sequence `seq`; a reader on an older
    /// snapshot than the cache's must not store what it saw.
    func remember(root: Int64, path: DrivePath, item: Int64, journalSeq seq: Int64) {
        lock.withLock {
            guard seq == journalSeq else { return }
            if paths.count > 10_000 { paths.removeAll(keepingCapacity: true) }
            paths[PathKey(root: root, path: path)] = item
        }
    }

    func invalidate() {
        lock.withLock { paths.removeAll(keepingCapacity: true); journalSeq = -1 }
    }
}
