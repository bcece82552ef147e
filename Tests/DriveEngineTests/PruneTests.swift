import DriveEngine
import Foundation
import GRDB
import Testing

/// The journal and the local files cache do not grow forever (issue 10): `prune` (run by
/// `cairn gc`) drops what no reader and no local copy needs, and keeps everything else.
@Suite struct PruneTests {
    func localFileRecords(_ scratch: Scratch) throws -> [String] {
        try scratch.query { db in try String.fetchAll(db, sql: "SELECT localPath FROM localFile ORDER BY localPath") }
    }

    func makeFolders(_ scratch: Scratch, _ count: Int) throws {
        for i in 0..<count { try scratch.session.makeFolder("/f\(i)") }
    }

    @Test func journalKeepsRecentEntriesAndTheNewestOnes() throws {
        let scratch = try Scratch()
        try makeFolders(scratch, 10)
        let latest = try scratch.drive.latestSequence()
        #expect(try scratch.drive.journal(after: 0).count == 11) // alice added, then ten folders

        // Everything is recent: the standard retention (30 days) keeps it all.
        #expect(try scratch.drive.prune().journalEntriesRemoved == 0)
        #expect(try scratch.drive.journal(after: 0).count == 11)

        // Old but among the newest 100,000: kept.
        scratch.clock.advance(days: 31)
        #expect(try scratch.drive.prune().journalEntriesRemoved == 0)

        // Old and beyond the newest 4: gone; the newest stay, and the latest sequence too.
        let report = try scratch.drive.prune(retention: JournalRetention(days: 30, entries: 4))
        #expect(report.journalEntriesRemoved == 7)
        #expect(try scratch.drive.journal(after: 0).map(\.path) == ["/f6", "/f7", "/f8", "/f9"])
        #expect(try scratch.drive.latestSequence() == latest)

        // New entries keep coming after the old seq.
        try scratch.session.makeFolder("/after")
        #expect(try scratch.drive.latestSequence() == latest + 1)
    }

    /// A journal longer than one delete batch (10,000) is pruned whole, batch after batch.
    @Test func aLongJournalIsPrunedInBatches() throws {
        let scratch = try Scratch()
        try scratch.session.makeFolder("/first")
        let writer = try DatabaseQueue(path: scratch.store.appendingPathComponent("meta.sqlite").path)
        try writer.write { db in
            let insert = try db.makeStatement(sql: """
                INSERT INTO journal (at, actorId, kind, path) VALUES (1700000000, 1, 'mkdir', '/old')
                """)
            for _ in 0..<25_000 { try insert.execute() }
        }
        try writer.close()
        try scratch.session.makeFolder("/last")
        scratch.clock.advance(days: 1)
        let report = try scratch.drive.prune(retention: JournalRetention(days: 0, entries: 1))
        #expect(report.journalEntriesRemoved == 25_002) // alice added, /first and the old ones
        #expect(try scratch.drive.journal(after: 0).map(\.path) == ["/last"])
    }

    @Test func noEntryARegisteredReaderHasNotReadIsPruned() throws {
        let scratch = try Scratch()
        try makeFolders(scratch, 10)
        let entries = try scratch.drive.journal(after: 0) // alice added, then /f0 … /f9
        try scratch.drive.setJournalCursor("tablet", to: entries[3].seq!)
        try scratch.drive.setJournalCursor("laptop", to: entries[6].seq!)
        let cursors = try scratch.drive.journalCursors()
        #expect(cursors["tablet"] == entries[3].seq! && cursors["laptop"] == entries[6].seq!)
        #expect(cursors["notifier"] != nil, "the notifier's own cursor is registered by the store")
        scratch.clock.advance(days: 60)

        let report = try scratch.drive.prune(retention: JournalRetention(days: 0, entries: 1))
        #expect(report.journalEntriesRemoved == 4) // up to the lowest cursor, inclusive
        #expect(try scratch.drive.journal(after: 0).first?.seq == entries[4].seq)

        try scratch.drive.removeJournalCursor("tablet")
        #expect(try scratch.drive.prune(retention: JournalRetention(days: 0, entries: 1)).journalEntriesRemoved == 3)
        #expect(try scratch.drive.journal(after: 0).first?.seq == entries[7].seq)

        try scratch.drive.removeJournalCursor("laptop")
        #expect(try scratch.drive.prune(retention: JournalRetention(days: 0, entries: 1)).journalEntriesRemoved == 3)
        #expect(try scratch.drive.journal(after: 0).map(\.path) == ["/f9"])

        expectDriveError(.invalidArgument) { try scratch.drive.prune(retention: JournalRetention(days: 0, entries: 0)) }
        expectDriveError(.invalidArgument) { try scratch.drive.setJournalCursor("", to: 1) }
    }

    /// Records of purged versions go; so do those of local files deleted since. Records of
    /// local copies still on disk stay, and still guard an edit of a stale copy.
    @Test func filesCacheDropsPurgedVersionsAndVanishedLocalFiles() throws {
        let scratch = try Scratch()
        let session = scratch.session
        let kept = try scratch.write("kept.txt", Data("kept\n".utf8))
        let deleted = try scratch.write("deleted.txt", Data("deleted\n".utf8))
        let purged = try scratch.write("purged.txt", Data("purged\n".utf8))
        for path in [kept, deleted, purged] { try session.put(local: path) }
        try scratch.makeFolder("copy")
        try session.get("/kept.txt", to: scratch.path("copy/kept.txt"))
        #expect(try localFileRecords(scratch).count == 4)

        try FileManager.default.removeItem(atPath: deleted)
        try session.trash("/purged.txt")
        try session.emptyTrash()

        let report = try scratch.drive.prune()
        #expect(report.localFilesRemoved == 2)
        #expect(try localFileRecords(scratch) == [scratch.path("copy/kept.txt"), kept].sorted())
        #expect(try scratch.drive.prune().localFilesRemoved == 0)

        // The kept record still does its job: the copy got as version 1, edited after version 2
        // was put, is a stale base.
        try session.put(local: try scratch.write("kept.txt", Data("kept, version 2\n".utf8)), to: "/kept.txt")
        try scratch.write("copy/kept.txt", Data("edited from version 1\n".utf8))
        expectDriveError(.conflict) { try session.put(local: scratch.path("copy/kept.txt"), to: "/kept.txt") }
    }
}
