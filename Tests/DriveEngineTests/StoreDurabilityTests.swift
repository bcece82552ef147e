@testable import DriveEngine
import Foundation
import GRDB
import Testing

/// A commit that returned is announced at once (printed, journaled for notifications and other
/// devices), so it must survive a power loss: the store's one writer connection syncs the WAL at
/// every commit. A database pool turns WAL mode on after its `prepareDatabase` hook and sets
/// `synchronous = NORMAL` with it, so a setting made in that hook alone is lost.
@Suite struct StoreDurabilityTests {
    @Test func theWriterSyncsEveryCommitBeforeAndAfterAFolderPut() throws {
        let scratch = try Scratch()
        #expect(try synchronous(scratch.drive) == 2, "synchronous = FULL on a freshly opened store")
        for index in 0..<3 { try scratch.write("tree/f\(index).txt", Data("file \(index)".utf8)) }
        // A folder put commits in the background, then fans out (one commit with NORMAL).
        _ = try scratch.session.put(local: scratch.path("tree"), to: "/tree")
        #expect(try synchronous(scratch.drive) == 2, "synchronous = FULL after a folder put and its fan-out")
    }

    private func synchronous(_ drive: Drive) throws -> Int? {
        try drive.database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
    }
}
