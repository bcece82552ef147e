#if canImport(Glibc)
import Glibc
#endif
import Blocks
import Dispatch
import Foundation
import Synchronization

extension Download {
    /// Puts groups of files written at temporary names into place, in the background: one
    /// `syncfs` makes a group's contents durable, then each file is renamed to its final path,
    /// so a final path never names a half-written file, even after a power loss (invariant 7).
    /// The renames become durable with the next group's `syncfs`, and the last ones with the one
    /// `Download.write` makes before it returns. Meanwhile the next group is fetched and written.
    ///
    /// At most one group waits behind the one being published. After a failure the groups not
    /// yet renamed are removed and the failure is rethrown by `publish` or `finish`.
    /// Thread-safe: the published entries, the groups not yet done and the first failure are one
    /// `Mutex`; groups are published in order on a serial queue.
    final class Publisher: Sendable {
        struct Entry: Sendable {
            var temp: String
            var final: String
            var version: Int64
        }

        /// A file in place, as the files cache records it.
        struct Published: Sendable {
            var entry: LocalEntry
            var version: Int64
        }

        let root: String
        /// Asked right before each rename (a sync): false drops the new file, listed in `declined`.
        let mayReplace: (@Sendable (String) -> Bool)?
        private let queue = DispatchQueue(label: "cairn.get.publish")
        private let slots = DispatchSemaphore(value: 1)
        private let state = Mutex((published: [Published](), waiting: [[Entry]](), failure: (any Error)?.none,
                                   declined: [String]()))

        init(root: String, mayReplace: (@Sendable (String) -> Bool)? = nil) {
            self.root = root
            self.mayReplace = mayReplace
        }

        /// Final paths whose new file was dropped because `mayReplace` said no.
        var declined: [String] { state.withLock { $0.declined } }

        /// Queues a group written at temporary names (waiting while another is queued already).
        func publish(_ group: [Entry]) throws {
            guard !group.isEmpty else { return }
            slots.wait()
            state.withLock { $0.waiting.append(group) }
            queue.async { [self] in
                defer { slots.signal() }
                let group = state.withLock { $0.waiting.removeFirst() }
                guard state.withLock({ $0.failure == nil }) else { return remove(group) }
                do {
                    let done = try put(group)
                    state.withLock { $0.published += done }
                } catch {
                    record(error)
                }
            }
            try rethrowFailure()
        }

        /// Records files already in place (a staged get's, written at their final names in the
        /// staging folder `folder`) and syncs the file system in the background, as `publish`
        /// does, so that the writeback overlaps the next group's fetch and the one sync at the
        /// end finds little left to write.
        func placed(_ files: [Published], syncing folder: String) {
            state.withLock { $0.published += files }
            slots.wait()
            queue.async { [self] in
                defer { slots.signal() }
                do { try Self.syncFileSystem(folder) } catch { record(error) }
            }
        }

        /// Keeps `error` unless an earlier failure is kept already.
        private func record(_ error: any Error) {
            state.withLock { if $0.failure == nil { $0.failure = error } }
        }

        func rethrowFailure() throws {
            if let failure = state.withLock({ $0.failure }) { throw failure }
        }

        /// Waits for every group; returns the files put in place, or rethrows the first failure
        /// (every temporary file not renamed is removed by then).
        func finish() throws -> [Published] {
            queue.sync {}
            try rethrowFailure()
            return state.withLock { $0.published }
        }

        /// Waits for every group, whatever happened: get must not return while files are still
        /// being renamed into place.
        func waitForAll() {
            queue.sync {}
        }

        /// Syncs the file system, then renames each file of `group` into place.
        private func put(_ group: [Entry]) throws -> [Published] {
            do {
                // The folder holding a file, not the file: a temporary link must never be opened
                // (that follows it, perhaps to a pipe or nowhere).
                try Self.syncFileSystem((group[0].temp as NSString).deletingLastPathComponent)
            } catch {
                remove(group)
                throw error
            }
            var done: [Published] = []
            for (index, entry) in group.enumerated() {
                if let mayReplace, !mayReplace(entry.final) {
                    unlink(entry.temp)
                    state.withLock { $0.declined.append(entry.final) }
                    continue
                }
                guard Glibc.rename(entry.temp, entry.final) == 0 else {
                    let error = PosixFile.error("cannot move \(entry.temp) to \(entry.final)")
                    remove(group[index...])
                    throw error
                }
                if let seen = try? LocalTree.stat(entry.final, "get") {
                    done.append(Published(entry: seen, version: entry.version))
                }
            }
            return done
        }

        private func remove(_ entries: some Collection<Entry>) {
            for entry in entries { unlink(entry.temp) }
        }

        /// Flushes the whole file system holding `path` (`syncfs`: one call for many files, far
        /// cheaper than an fsync of each and of each folder).
        static func syncFileSystem(_ path: String) throws {
            let handle = try PosixFile(path: path, flags: O_RDONLY | O_DIRECTORY)
            #if os(Linux)
            guard linuxSyncfs(handle.fd) == 0 else { throw PosixFile.error("cannot sync \(path)") }
            #else
            try handle.sync()
            #endif
        }
    }
}
