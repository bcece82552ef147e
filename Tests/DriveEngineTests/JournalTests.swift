import DriveEngine
import Foundation
import Testing

/// The change journal: one entry per change, in order, with increasing sequence numbers.
@Suite struct JournalTests {
    @Test func everyChangeAppendsAnEntry() throws {
        let scratch = try Scratch()
        let session = scratch.session
        let start = try scratch.drive.latestSequence()
        let first = try scratch.write("f.txt", Data("one".utf8))

        try session.makeFolder("/a")
        try session.put(local: first, to: "/a/f.txt")
        try session.put(local: try scratch.write("f.txt", Data("two".utf8)), to: "/a/f.txt")
        try session.move("/a/f.txt", to: "/a/g.txt")
        try session.pin("/a/g.txt", version: 1)
        try session.restore("/a/g.txt", version: 1)
        try session.trash("/a/g.txt")
        try session.untrash("/a/g.txt")
        try session.trash("/a")
        try session.emptyTrash()

        let entries = try scratch.drive.journal(after: start)
        #expect(entries.map(\.kind) == [.folderCreated, .versionAdded, .versionAdded, .moved, .pinned, .restored, .trashed,
                                         .untrashed, .trashed, .purged])
        #expect(entries.map(\.path) == ["/a", "/a/f.txt", "/a/f.txt", "/a/g.txt", "/a/g.txt", "/a/g.txt", "/a/g.txt",
                                        "/a/g.txt", "/a", "/"])
        let seqs = entries.compactMap(\.seq)
        #expect(seqs.count == entries.count)
        #expect(seqs.first.map { $0 > start } == true)
        #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 })
        #expect(try seqs.last == scratch.drive.latestSequence())
        #expect(entries.allSatisfy { $0.actorId == session.user.id && $0.ownerId == session.user.id })
        #expect(entries.map(\.versionNumber) == [nil, 1, 2, nil, 1, 3, nil, nil, nil, nil])
        #expect(entries[3].oldParentId != nil && entries[3].oldParentId == entries[3].newParentId) // a rename
        #expect(entries[5].amount == 1) // restored from version 1
        #expect(entries[9].amount == 2) // the folder /a and the file in it
        #expect(entries[1].versionId != nil && entries[2].versionId != nil && entries[1].versionId != entries[2].versionId)
        #expect(entries[3].detail == "/a/f.txt")
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.at < $1.at })

        // Reading on from any point gives the rest, and `limit` pages.
        #expect(try scratch.drive.journal(after: seqs[3]) == Array(entries[4...]))
        #expect(try scratch.drive.journal(after: start, limit: 2) == Array(entries[..<2]))
        #expect(try scratch.drive.journal(after: seqs.last!).isEmpty)
    }

    @Test func folderPutJournalsEachFolderAndFile() throws {
        let scratch = try Scratch()
        try scratch.write("tree/a.txt", Data("a".utf8))
        try scratch.write("tree/sub/b.txt", Data("b".utf8))
        let start = try scratch.drive.latestSequence()
        try scratch.session.put(local: scratch.path("tree"))
        let entries = try scratch.drive.journal(after: start)
        #expect(entries.map(\.kind.rawValue).sorted() == ["mkdir", "mkdir", "put", "put"])
        #expect(Set(entries.map(\.path)) == ["/tree", "/tree/sub", "/tree/a.txt", "/tree/sub/b.txt"])
    }

    /// What changes nothing writes nothing: an unchanged put, a refused operation.
    @Test func noEntryWhenNothingChanged() throws {
        let scratch = try Scratch()
        let file = try scratch.write("f.txt", Data("same".utf8))
        try scratch.session.put(local: file, to: "/f.txt")
        let seq = try scratch.drive.latestSequence()
        try scratch.session.put(local: file, to: "/f.txt")
        try scratch.session.put(local: scratch.local.path, to: "/local") // f.txt again, as a new path: one entry
        #expect(try scratch.drive.journal(after: seq).map(\.kind) == [.folderCreated, .versionAdded])
        let after = try scratch.drive.latestSequence()
        try scratch.session.put(local: scratch.local.path, to: "/local")
        expectDriveError(.alreadyExists) { try scratch.session.makeFolder("/local") }
        expectDriveError(.notFound) { try scratch.session.trash("/nothing") }
        #expect(try scratch.drive.latestSequence() == after)
    }
}
