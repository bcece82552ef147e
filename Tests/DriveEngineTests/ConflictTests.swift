import DriveEngine
import Foundation
import Testing

/// A write from a stale base kept as a conflict version (the first writer stays the head), and
/// each way of settling it. Alice owns /a.txt and shares it with Bob as an editor; both got
/// version 1, Alice's edit came first.
@Suite struct ConflictTests {
    /// Alice's v2 is the head; Bob's edit of his copy of v1, put with `.keepConflict`, is v3.
    struct Race {
        let scratch: Scratch
        let alice: DriveSession
        let bob: DriveSession
        let bobCopy: String
        static let original = Data("one\ntwo\nthree\n".utf8)
        static let alices = Data("one\ntwo, by alice\nthree\n".utf8)
        static let bobs = Data("one\ntwo\nthree, by bob\n".utf8)

        init(cap: Int? = nil) throws {
            scratch = try Scratch()
            if let cap { try scratch.drive.setVersionCap(cap) }
            alice = scratch.session
            bob = try scratch.session(for: "bob")
            try alice.put(local: try scratch.write("alice/a.txt", Self.original), to: "/a.txt")
            try alice.share("/a.txt", with: "bob", role: .editor)
            bobCopy = scratch.path("bob/a.txt")
            try FileManager.default.createDirectory(atPath: scratch.path("bob"), withIntermediateDirectories: true)
            try bob.get("/shared/a.txt", to: bobCopy)
            try alice.put(local: try scratch.write("alice/a.txt", Self.alices), to: "/a.txt")
            try Self.bobs.write(to: URL(fileURLWithPath: bobCopy))
        }

        /// Bob puts his edit, keeping it as a conflict.
        @discardableResult
        func bobKeepsHisEdit() throws -> PutReport {
            try bob.put(local: bobCopy, to: "/shared/a.txt", onStale: .keepConflict)
        }
    }

    @Test func aStaleEditIsKeptBesideTheHeadAndNamedInTheConflicts() throws {
        let race = try Race()
        expectDriveError(.conflict) { try race.bob.put(local: race.bobCopy, to: "/shared/a.txt") }
        let report = try race.bobKeepsHisEdit()
        #expect(report.conflicts.map(\.description) == ["/shared/a.txt"])
        #expect(report.filesStored == 0)

        #expect(try race.alice.contents("/a.txt") == Race.alices, "the first writer stays the head")
        let log = try race.alice.log("/a.txt")
        #expect(log.map(\.version.number) == [3, 2, 1])
        #expect(log[0].version.isConflict && !log[0].isHead && log[0].baseNumber == 1)
        #expect(try race.alice.contents("/a.txt", version: 3) == Race.bobs)

        let seenByAlice = try race.alice.conflicts()
        #expect(seenByAlice.count == 1)
        let conflict = try #require(seenByAlice.first)
        #expect(conflict.path.description == "/a.txt" && conflict.version == 3 && conflict.head == 2 && conflict.base == 1)
        #expect(conflict.author == "bob" && conflict.isOpen)
        #expect(try race.bob.conflicts().map(\.path.description) == ["/shared/a.txt"], "Bob sees it where he sees the file")
        #expect(try race.scratch.session(for: "carol").conflicts().isEmpty, "nobody else sees it")

        // Journaled, and the owner hears of it.
        let entries = try race.scratch.drive.journal(after: 0).filter { $0.kind == .conflict }
        #expect(entries.map(\.versionNumber) == [3] && entries.first?.path == "/a.txt")
        try race.scratch.drive.fanOutNotifications()
        let aliceID = try #require(race.alice.user.id)
        #expect(try race.scratch.drive.notifier.inbox(for: aliceID).contains { $0.title.contains("Conflict") })
    }

    @Test func theSameEditAgainIsTheSameConflictAndAnUntouchedCopyIsUnchanged() throws {
        let race = try Race()
        try race.bobKeepsHisEdit()
        // The copy now holds the conflict version: putting it again changes nothing.
        let again = try race.bobKeepsHisEdit()
        #expect(again.conflicts.isEmpty && again.filesUnchanged == 1)
        let plain = try race.bob.put(local: race.bobCopy, to: "/shared/a.txt")
        #expect(plain.filesUnchanged == 1, "an untouched copy of a conflict version never replaces the head")
        #expect(try race.alice.contents("/a.txt") == Race.alices)
        #expect(try race.alice.conflicts().count == 1)
        #expect(try race.alice.log("/a.txt").count == 3)
    }

    @Test func anEditIdenticalToTheHeadIsNoConflict() throws {
        let race = try Race()
        try Race.alices.write(to: URL(fileURLWithPath: race.bobCopy))
        let report = try race.bobKeepsHisEdit()
        #expect(report.conflicts.isEmpty && report.filesUnchanged == 1)
        #expect(try race.alice.conflicts().isEmpty)
        #expect(try race.alice.log("/a.txt").count == 2)
    }

    @Test func keepingMineMakesTheConflictVersionTheHeadAndNamesBothSides() throws {
        let race = try Race()
        try race.bobKeepsHisEdit()
        let settled = try race.alice.resolveConflict("/a.txt", keep: .mine)
        #expect(settled.resolution == .mine && settled.result == 4 && !settled.isOpen && settled.resolvedBy == "alice")
        #expect(try race.alice.contents("/a.txt") == Race.bobs)
        let head = try #require(try race.alice.log("/a.txt").first)
        #expect(head.isHead && head.version.number == 4 && head.baseNumber == 2 && head.mergedFromNumber == 3)
        #expect(try race.alice.conflicts().isEmpty)
        #expect(try race.alice.conflicts(all: true).map(\.resolution) == [.mine])
        expectDriveError(.notFound) { try race.alice.resolveConflict("/a.txt", keep: .mine) }
    }

    @Test func keepingTheirsKeepsTheHeadsBytesInANewVersion() throws {
        let race = try Race()
        try race.bobKeepsHisEdit()
        try race.bob.resolveConflict("/shared/a.txt", keep: .theirs)
        #expect(try race.alice.contents("/a.txt") == Race.alices)
        let head = try #require(try race.alice.log("/a.txt").first)
        #expect(head.version.number == 4 && head.mergedFromNumber == 3 && head.baseNumber == 2)
        #expect(try race.alice.conflicts().isEmpty)
    }

    @Test func keepingBothPutsTheConflictVersionBesideTheFile() throws {
        let race = try Race()
        try race.bobKeepsHisEdit()
        let settled = try race.alice.resolveConflict("/a.txt", keep: .both)
        let copy = "/a (conflict v3 by bob).txt"
        #expect(settled.copyPath?.description == copy)
        #expect(try race.alice.contents("/a.txt") == Race.alices)
        #expect(try race.alice.contents(copy) == Race.bobs)
        #expect(try race.alice.log(copy).first?.mergedFromNumber == 3, "the copy's version names the conflict version")
        #expect(try race.bob.contents("/shared/a.txt") == Race.alices)
    }

    @Test func aMergedResultBecomesTheHead() throws {
        let race = try Race()
        try race.bobKeepsHisEdit()
        let sides = try race.alice.conflictSides("/a.txt")
        #expect(sides.base == Race.original && sides.mine == Race.bobs && sides.theirs == Race.alices && sides.headNumber == 2)
        let merged = Data("one\ntwo, by alice\nthree, by bob\n".utf8)
        let settled = try race.alice.resolveConflict("/a.txt", merged: merged)
        #expect(settled.resolution == .merge)
        #expect(try race.alice.contents("/a.txt") == merged)
        #expect(try race.scratch.drive.verify().isHealthy)
    }

    @Test func aCapOfOneKeepsAnOpenConflictAndItsBaseUntilItIsSettled() throws {
        let race = try Race(cap: 1)
        try race.bobKeepsHisEdit()
        // More edits by Alice: the cap drops old heads, but not the conflict version or its base.
        for text in ["alice 3\n", "alice 4\n"] {
            try race.alice.put(local: try race.scratch.write("alice/a.txt", Data(text.utf8)), to: "/a.txt")
        }
        let kept = try race.alice.log("/a.txt").map(\.version.number)
        #expect(kept.contains(1) && kept.contains(3), "base 1 and conflict 3 kept: \(kept)")
        let sides = try race.alice.conflictSides("/a.txt")
        #expect(sides.base == Race.original && sides.mine == Race.bobs && sides.theirs == Data("alice 4\n".utf8))
        try race.alice.resolveConflict("/a.txt", keep: .mine)
        try race.alice.put(local: try race.scratch.write("alice/after.txt", Data("after\n".utf8)), to: "/a.txt")
        #expect(try race.alice.log("/a.txt").map(\.version.number).count <= 3, "settled, they may go")
    }

    @Test func badResolutionsAreRefusedAndChangeNothing() throws {
        let race = try Race()
        expectDriveError(.notFound) { try race.alice.resolveConflict("/a.txt", keep: .mine) }
        try race.bobKeepsHisEdit()
        let carol = try race.scratch.session(for: "carol")
        try race.alice.share("/a.txt", with: "carol", role: .viewer)
        expectDriveError(.permissionDenied) { try carol.resolveConflict("/shared/a.txt", keep: .mine) }
        try race.alice.makeFolder("/docs")
        expectDriveError(.invalidArgument) { try race.alice.resolveConflict("/docs", keep: .mine) }
        expectDriveError(.notFound) { try race.alice.resolveConflict("/a.txt", keep: .mine, id: 999) }
        expectDriveError(.notFound) { try race.alice.resolveConflict("/missing.txt", keep: .mine) }
        #expect(try race.alice.conflicts().count == 1)
        #expect(try race.alice.log("/a.txt").count == 3)
    }
}
