import DriveEngine
import Foundation
import Testing

/// A version records the version its writer edited from (its true base), and the version cap
/// never drops a version a local copy was made from: with a cap of 1, an edit of a stale copy
/// used to replace the head silently, because the copy's base was gone.
@Suite struct TrueBaseTests {
    @Test func aForcedPutOfAStaleCopyRecordsTheVersionItWasEditedFrom() throws {
        let scratch = try Scratch()
        let alice = scratch.session
        try alice.put(local: try scratch.write("a.txt", Data("one\n".utf8)), to: "/a.txt")
        let copy = scratch.path("copy.txt")
        try alice.get("/a.txt", to: copy)
        // Someone else's edit moves the head on.
        try alice.put(local: try scratch.write("other.txt", Data("two\n".utf8)), to: "/a.txt")
        try Data("one, edited\n".utf8).write(to: URL(fileURLWithPath: copy))
        expectDriveError(.conflict) { try alice.put(local: copy, to: "/a.txt") }
        try alice.put(local: copy, to: "/a.txt", onStale: .replace)

        let log = try alice.log("/a.txt")
        let byNumber = Dictionary(uniqueKeysWithValues: log.map { ($0.version.number, $0.version) })
        #expect(byNumber[3]?.baseVersionId == byNumber[1]?.id, "the forced edit was made from version 1, not the head (2)")
        #expect(byNumber[2]?.baseVersionId == byNumber[1]?.id)
    }

    @Test func aCapOfOneKeepsTheVersionALocalCopyIsBasedOn() throws {
        let scratch = try Scratch()
        try scratch.drive.setVersionCap(1)
        let alice = scratch.session
        let bob = try scratch.session(for: "bob")
        try alice.put(local: try scratch.write("r.txt", Data("draft\n".utf8)), to: "/r.txt")
        try alice.share("/r.txt", with: "bob", role: .editor)
        let copy = scratch.path("alice-copy.txt")
        try alice.get("/r.txt", to: copy)
        // Bob edits the shared file: the cap would drop version 1, but Alice's copy is based on it.
        try bob.put(local: try scratch.write("bob.txt", Data("bob's text\n".utf8)), to: "/shared/r.txt")
        #expect(try alice.log("/r.txt").map(\.version.number) == [2, 1])

        // Alice's edit of her stale copy is a conflict, not a silent replacement of Bob's edit.
        try Data("alice's text\n".utf8).write(to: URL(fileURLWithPath: copy))
        expectDriveError(.conflict) { try alice.put(local: copy, to: "/r.txt") }
        #expect(try alice.contents("/r.txt") == Data("bob's text\n".utf8))

        // A file put again and again from one local copy keeps the cap: that copy's record moves
        // on with each put, so older versions are named by nothing.
        for text in ["x1", "x2", "x3"] { try alice.put(local: try scratch.write("x.txt", Data(text.utf8)), to: "/x.txt") }
        #expect(try alice.log("/x.txt").map(\.version.number) == [3])
    }
}
