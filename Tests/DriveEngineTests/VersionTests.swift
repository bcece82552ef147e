import DriveEngine
import Foundation
import Testing

/// Versions: made on change only, listed newest first, restored as a new head, pinned, capped.
@Suite struct VersionTests {
    /// Writes `text` to a local file and puts it as `path`.
    @discardableResult
    func put(_ scratch: Scratch, _ text: String, as path: String = "/notes.txt") throws -> PutReport {
        let local = try scratch.write("work/\((path as NSString).lastPathComponent)", Data(text.utf8))
        return try scratch.session.put(local: local, to: path)
    }

    func text(_ scratch: Scratch, _ path: String = "/notes.txt", version: Int? = nil) throws -> String {
        String(decoding: try scratch.session.contents(path, version: version), as: UTF8.self)
    }

    @Test func changedContentMakesAVersionUnchangedDoesNot() throws {
        let scratch = try Scratch()
        #expect(try put(scratch, "first draft").filesStored == 1)
        let seq = try scratch.drive.latestSequence()

        let same = try put(scratch, "first draft")
        #expect(same.filesStored == 0)
        #expect(same.filesUnchanged == 1)
        #expect(try scratch.session.versionNumbers("/notes.txt") == [1])
        #expect(try scratch.drive.latestSequence() == seq)

        #expect(try put(scratch, "second draft, longer").filesStored == 1)
        #expect(try scratch.session.versionNumbers("/notes.txt") == [2, 1])
        #expect(try scratch.session.item(at: "/notes.txt").versionCount == 2)
        #expect(try scratch.session.item(at: "/notes.txt").size == 20)
    }

    @Test func logIsNewestFirstWithAuthorSizeAndHead() throws {
        let scratch = try Scratch()
        try put(scratch, "one")
        try put(scratch, "two two")
        let bob = try scratch.session(for: "bob")
        let shared = try scratch.write("bob/notes.txt", Data("bob's".utf8))
        try bob.put(local: shared, to: "/notes.txt") // bob's own drive: not alice's log
        try put(scratch, "three three three")

        let log = try scratch.session.log("/notes.txt")
        #expect(log.map(\.version.number) == [3, 2, 1])
        #expect(log.map(\.version.size) == [17, 7, 3])
        #expect(log.map(\.authorName) == ["alice", "alice", "alice"])
        #expect(log.map(\.isHead) == [true, false, false])
        #expect(log[0].version.createdAt > log[1].version.createdAt)
        #expect(log[1].version.createdAt > log[2].version.createdAt)
        #expect(Set(log.map(\.version.digest)).count == 3)
        #expect(try text(scratch, version: 1) == "one")
        #expect(try text(scratch, version: 2) == "two two")
        #expect(try text(scratch) == "three three three")

        let out = scratch.path("v1.txt")
        try scratch.session.get("/notes.txt", to: out, version: 1)
        #expect(try scratch.read(out) == Data("one".utf8))
        expectDriveError(.notFound) { try scratch.session.get("/notes.txt", to: scratch.path("v9.txt"), version: 9) }
        expectDriveError(.invalidArgument) { _ = try scratch.session.log("/") }
        expectDriveError(.invalidArgument) { try scratch.session.get("/", to: scratch.path("root"), version: 1) }
    }

    /// Invariant 2: restore adds a version with the old content; the versions before it stay as they were.
    @Test func restoreMakesANewHeadAndLeavesOldVersionsAlone() throws {
        let scratch = try Scratch()
        try put(scratch, "original")
        try put(scratch, "edited")
        let before = try scratch.session.log("/notes.txt").map(\.version)

        let restored = try scratch.session.restore("/notes.txt", version: 1)
        #expect(restored.number == 3)
        #expect(restored.restoredFrom == 1)
        #expect(restored.digest == before[1].digest)
        #expect(restored.baseVersionId == before[0].id)

        let after = try scratch.session.log("/notes.txt")
        #expect(after.map(\.version.number) == [3, 2, 1])
        #expect(after[0].isHead)
        #expect(Array(after.dropFirst().map(\.version)) == before)
        #expect(try text(scratch) == "original")
        #expect(try text(scratch, version: 2) == "edited")
        #expect(try text(scratch, version: 1) == "original")

        let state = try scratch.session.state()
        expectDriveError(.notFound) { try scratch.session.restore("/notes.txt", version: 7) }
        expectDriveError(.notFound) { try scratch.session.restore("/missing.txt", version: 1) }
        #expect(try scratch.session.state() == state)
    }

    @Test func capDropsTheOldestVersions() throws {
        let scratch = try Scratch()
        try scratch.drive.setVersionCap(3)
        for n in 1...5 { try put(scratch, "version \(n)") }
        #expect(try scratch.session.versionNumbers("/notes.txt") == [5, 4, 3])
        #expect(try scratch.session.item(at: "/notes.txt").versionCount == 3)
        expectDriveError(.notFound) { _ = try scratch.session.contents("/notes.txt", version: 2) }
        #expect(try text(scratch, version: 3) == "version 3")
        expectDriveError(.invalidArgument) { try scratch.drive.setVersionCap(0) }
    }

    @Test func pinnedVersionsAreNeverDropped() throws {
        let scratch = try Scratch()
        try scratch.drive.setVersionCap(3)
        try put(scratch, "keep me")
        try scratch.session.pin("/notes.txt", version: 1)
        for n in 2...6 { try put(scratch, "version \(n)") }
        let log = try scratch.session.log("/notes.txt")
        #expect(log.map(\.version.number) == [6, 5, 4, 1])
        #expect(log.map(\.version.pinned) == [false, false, false, true])
        #expect(try text(scratch, version: 1) == "keep me")

        // Unpinned, it is beyond the cap and goes.
        try scratch.session.pin("/notes.txt", version: 1, pinned: false)
        #expect(try scratch.session.versionNumbers("/notes.txt") == [6, 5, 4])
        expectDriveError(.notFound) { try scratch.session.pin("/notes.txt", version: 1) }
    }

    /// The cap counts unpinned versions: a pinned head is not one of them.
    @Test func capCountsOnlyUnpinnedVersionsWhenTheHeadIsPinned() throws {
        let scratch = try Scratch()
        for n in 1...4 { try put(scratch, "version \(n)") }
        try scratch.session.pin("/notes.txt", version: 4)
        try scratch.drive.setVersionCap(2)
        try scratch.session.pin("/notes.txt", version: 1)
        try scratch.session.pin("/notes.txt", version: 1, pinned: false) // applies the cap
        let log = try scratch.session.log("/notes.txt")
        #expect(log.map(\.version.number) == [4, 3, 2])
        #expect(log.filter { !$0.version.pinned }.count == 2)
    }

    @Test func restoreOfAPinnedVersionUnderTheCap() throws {
        let scratch = try Scratch()
        try scratch.drive.setVersionCap(2)
        try put(scratch, "golden")
        try scratch.session.pin("/notes.txt", version: 1)
        for n in 2...4 { try put(scratch, "version \(n)") }
        #expect(try scratch.session.versionNumbers("/notes.txt") == [4, 3, 1])
        try scratch.session.restore("/notes.txt", version: 1)
        #expect(try scratch.session.versionNumbers("/notes.txt") == [5, 4, 1])
        #expect(try text(scratch) == "golden")
        #expect(try scratch.drive.verify().isHealthy)
    }

    /// Restoring the head would only copy it: refused, and nothing changes.
    @Test func restoringTheHeadIsRefused() throws {
        let scratch = try Scratch()
        try put(scratch, "original")
        let state = try scratch.session.state()
        let seq = try scratch.drive.latestSequence()
        let error = expectDriveError(.invalidArgument) { try scratch.session.restore("/notes.txt", version: 1) }
        #expect(error?.reason == "version 1 is already the head of /notes.txt")
        #expect(try scratch.session.state() == state)
        #expect(try scratch.drive.latestSequence() == seq)
        try put(scratch, "edited")
        try scratch.session.restore("/notes.txt", version: 1)
        expectDriveError(.invalidArgument) { try scratch.session.restore("/notes.txt", version: 3) }
        #expect(try scratch.session.versionNumbers("/notes.txt") == [3, 2, 1])
    }
}
