@testable import DriveEngine
import Foundation
import GRDB
import Testing

/// After each commit that changed rows, the store's writer writes its `commits` file, which wakes
/// every process waiting for a change. A write transaction that changed nothing (a worker's claim
/// of queued work that found none) must wake nobody: the waiters' own looks may be such
/// transactions, and each wake-up would cause the next.
@Suite struct CommitSignalTests {
    @Test func onlyCommitsThatChangedRowsWakeWaiters() throws {
        let scratch = try Scratch()
        let hub = StoreChangeHub.shared
        let watch = try #require(hub.subscribe(folder: scratch.store.path), "inotify is available here")
        defer { hub.unsubscribe(watch) }
        // Let the events of the scratch's own setup pass.
        Thread.sleep(forTimeInterval: 0.3)
        let before = hub.writes(of: watch)
        for _ in 0..<3 {
            try scratch.drive.database.write { db in
                try db.execute(sql: "UPDATE item SET size = size WHERE id = -1")
            }
        }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(hub.writes(of: watch) == before, "empty write transactions woke the waiters")

        try scratch.session.makeFolder("/woken")
        #expect(hub.wait(watch, after: before, seconds: 10) != before, "a commit that changed rows did not wake the waiters")
    }
}
