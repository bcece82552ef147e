import Foundation
import Synchronization

/// A small cache of hot lookups: (user, path) → item id.
///
/// Invalidated whole on every write through this `Drive`, and when another process changed the
/// drive (the journal's latest sequence moved: every change appends to it), so a hit is never
/// stale. Thread-safe: the entries and the sequence they were filled at are one `Mutex`.
final class MetadataCache: Sendable {
    private let state = Mutex(State())

    private struct State {
        var paths: [PathKey: Int64] = [:]
        var journalSeq: Int64 = -1
    }

    struct PathKey: Hashable {
        var root: Int64
        var path: DrivePath
    }

    /// Clears the cache if the journal moved since it was filled.
    func validate(journalSeq seq: Int64) {
        state.withLock { state in
            if seq != state.journalSeq {
                state.paths.removeAll(keepingCapacity: true)
                state.journalSeq = seq
            }
        }
    }

    /// The cached item at `path`, if the cache was filled at journal sequence `seq`.
    func item(root: Int64, path: DrivePath, journalSeq seq: Int64) -> Int64? {
        state.withLock { seq == $0.journalSeq ? $0.paths[PathKey(root: root, path: path)] : nil }
    }

    /// Remembers a lookup made in a snapshot at journal sequence `seq`; a reader on an older
    /// snapshot than the cache's must not store what it saw.
    func remember(root: Int64, path: DrivePath, item: Int64, journalSeq seq: Int64) {
        state.withLock { state in
            guard seq == state.journalSeq else { return }
            if state.paths.count > 10_000 { state.paths.removeAll(keepingCapacity: true) }
            state.paths[PathKey(root: root, path: path)] = item
        }
    }

    func invalidate() {
        state.withLock { state in state.paths.removeAll(keepingCapacity: true); state.journalSeq = -1 }
    }
}
