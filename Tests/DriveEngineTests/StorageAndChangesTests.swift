import DriveEngine
import Foundation
import Notifier
import Synchronization
import Testing

/// Per-version storage figures, purging one trashed item, and waiting on the change journal.
@Suite struct StorageAndChangesTests {
    @Test func storageCountsBlocksSharedWithOtherFiles() throws {
        let scratch = try Scratch()
        let session = scratch.session
        let common = randomBytes(64 << 10, seed: 1)
        try session.put(local: try scratch.write("a.bin", common + randomBytes(64 << 10, seed: 2)), to: "/a.bin")
        let alone = try session.storage("/a.bin")
        #expect(alone.sharedWithOtherFiles == 0)
        #expect(alone.uniqueBytes == 128 << 10)
        #expect(alone.storedBytes > alone.uniqueBytes)  // random data stays raw, plus headers
        try session.put(local: try scratch.write("b.bin", common), to: "/b.bin")
        let shared = try session.storage("/a.bin")
        #expect(shared.sharedWithOtherFiles > 0 && shared.sharedWithOtherFiles < shared.blocks)
        expectDriveError(.invalidArgument) { _ = try session.storage("/") }
    }

    @Test func purgeRemovesOneTrashedItemAndItsBlocks() throws {
        let scratch = try Scratch()
        let session = scratch.session
        try session.put(local: try scratch.write("keep.bin", randomBytes(40_000, seed: 3)), to: "/keep.bin")
        try session.put(local: try scratch.write("gone.bin", randomBytes(40_000, seed: 4)), to: "/dir/gone.bin")
        let before = try session.stats().blocks
        try session.trash("/dir")
        try session.trash("/keep.bin")
        try session.purge("/dir")
        #expect(try session.trashList().map(\.path.description) == ["/keep.bin"])
        #expect(try session.stats().blocks < before)
        try session.untrash("/keep.bin")
        #expect(try session.contents("/keep.bin") == randomBytes(40_000, seed: 3))
        expectDriveError(.notFound) { try session.purge("/dir") }
    }

    @Test func waitForChangeWakesOnAWriteAndTimesOut() async throws {
        let scratch = try Scratch()
        let drive = scratch.drive
        let start = try drive.latestSequence()
        #expect(try drive.waitForChange(after: start, timeout: .milliseconds(150)) == start)
        let waiter = Task.detached { try drive.waitForChange(after: start, timeout: .seconds(20)) }
        try scratch.session.makeFolder("/new")
        let seen = try await waiter.value
        #expect(seen > start)
    }

    /// A commit by another process (a second `Drive` on the store, with a lock file and database
    /// connections of its own) wakes the wait at once: the fallback poll is a minute here, so
    /// only the store-change signal can end the wait within the bound.
    @Test func waitForChangeWakesOnAnotherProcesssCommit() throws {
        let scratch = try Scratch()
        let other = try Drive.open(at: scratch.store, create: false).session(for: "alice")
        let start = try scratch.drive.latestSequence()
        let woke = DispatchSemaphore(value: 0), waiting = DispatchSemaphore(value: 0)
        final class Seen: @unchecked Sendable { var value: Int64? } // written before `woke` is signalled
        let seen = Seen()
        Thread.detachNewThread {
            waiting.signal()
            seen.value = try? scratch.drive.waitForChange(after: start, timeout: .seconds(120), poll: 60)
            woke.signal()
        }
        waiting.wait()
        // This pause only lets the waiter get past its first look at the journal: a commit
        // before that would end the wait without any signal.
        Thread.sleep(forTimeInterval: 0.3)
        try other.makeFolder("/from-elsewhere")
        #expect(woke.wait(timeout: .now() + 20) == .success, "the wait did not wake on another process's commit")
        #expect((seen.value ?? 0) > start)
    }

    /// More waits at once than a user may hold inotify instances (128): the process shares one,
    /// so every wait still wakes on its own store's commit, none falls back to the slow poll.
    @Test func manyWaitsOnSeveralStoresShareOneInotifyInstance() throws {
        let stores = try (0..<3).map { _ in try Scratch() }
        let perStore = 60
        let starts = try stores.map { try $0.drive.latestSequence() }
        let woke = DispatchSemaphore(value: 0), waiting = DispatchSemaphore(value: 0)
        let wokeCount = Mutex(0)
        for (index, scratch) in stores.enumerated() {
            for _ in 0..<perStore {
                Thread.detachNewThread {
                    waiting.signal()
                    if let seen = try? scratch.drive.waitForChange(after: starts[index], timeout: .seconds(120), poll: 60),
                       seen > starts[index] {
                        wokeCount.withLock { $0 += 1 }
                    }
                    woke.signal()
                }
            }
        }
        for _ in 0..<(stores.count * perStore) { waiting.wait() }
        Thread.sleep(forTimeInterval: 0.5) // past the waiters' first looks
        #expect(inotifyInstances() == 1, "one inotify instance for the whole process")
        for scratch in stores { try scratch.session.makeFolder("/wake") }
        for _ in 0..<(stores.count * perStore) {
            #expect(woke.wait(timeout: .now() + 20) == .success, "a wait did not wake on its store's commit")
        }
        #expect(wokeCount.withLock { $0 } == stores.count * perStore)
    }

    /// The inotify instances this process holds.
    private func inotifyInstances() -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == "anon_inode:inotify" }.count
    }

    /// A wait on something the journal does not hold (an inbox, as the full-screen drive watches
    /// its badge) wakes on another process's commit to it; the journal does not move.
    @Test func waitForChangeOfALookWakesOnACommitOutsideTheJournal() throws {
        let scratch = try Scratch()
        let alice = try #require(scratch.session.user.id)
        let other = try Drive.open(at: scratch.store, create: false)
        let journal = try scratch.drive.latestSequence()
        let look: @Sendable () -> Int64 = { (try? scratch.drive.notifier.inboxSummary(for: alice).latestId) ?? -1 }
        let start = look()
        #expect(try scratch.drive.waitForChange(from: start, timeout: .milliseconds(150), look: look) == start)
        let woke = DispatchSemaphore(value: 0), waiting = DispatchSemaphore(value: 0)
        final class Seen: @unchecked Sendable { var value: Int64? } // written before `woke` is signalled
        let seen = Seen()
        Thread.detachNewThread {
            waiting.signal()
            seen.value = try? scratch.drive.waitForChange(from: start, timeout: .seconds(120), poll: 60, look: look)
            woke.signal()
        }
        waiting.wait()
        Thread.sleep(forTimeInterval: 0.3) // past the waiter's first look, as above
        try other.notifier.send(Notice(key: "hello", kind: "notice", title: "Hello", body: "from elsewhere"),
                                to: [Recipient(id: alice, name: "alice")], channels: [.inbox])
        #expect(woke.wait(timeout: .now() + 20) == .success, "the wait did not wake on another process's inbox row")
        #expect((seen.value ?? 0) > start)
        #expect(try scratch.drive.latestSequence() == journal, "no journal entry woke it")
    }
}
