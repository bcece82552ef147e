import DriveEngine
import Foundation
import Testing

/// mkdir, mv, rm (to the trash), the trash list and untrash.
@Suite struct TreeTests {
    func names(_ scratch: Scratch, _ path: String) throws -> [String] {
        try scratch.session.list(path).map(\.path.name)
    }

    @Test func makeFolder() throws {
        let scratch = try Scratch()
        let session = scratch.session
        let made = try session.makeFolder("/photos")
        #expect(made.isFolder)
        #expect(made.name == "photos")
        #expect(try names(scratch, "/") == ["photos"])
        expectDriveError(.alreadyExists) { try session.makeFolder("/photos") }
        expectDriveError(.notFound) { try session.makeFolder("/a/b/c") }
        try session.makeFolder("/a/b/c", parents: true)
        try session.makeFolder("/a/b", parents: true) // an existing folder is fine with parents
        #expect(try names(scratch, "/a/b") == ["c"])
        #expect(try session.item(at: "/a/b/c").isFolder)

        let file = try scratch.write("f.txt", Data("f".utf8))
        try session.put(local: file, to: "/a/f.txt")
        expectDriveError(.alreadyExists) { try session.makeFolder("/a/f.txt") }
        // A file in the way of a folder path is a wrong argument, not a name clash.
        let error = expectDriveError(.invalidArgument) { try session.makeFolder("/a/f.txt/below", parents: true) }
        #expect(error?.subject == "/a/f.txt/below")
        #expect(try session.item(at: "/a/f.txt").isFolder == false)
    }

    @Test func listingTheFirstEntriesOnly() throws {
        let scratch = try Scratch()
        let session = scratch.session
        for name in ["b", "a", "c"] { try session.makeFolder("/" + name) }
        let file = try scratch.write("x.txt", Data("x".utf8))
        for name in ["z.txt", "y.txt"] { try session.put(local: file, to: "/" + name) }
        #expect(try names(scratch, "/") == ["a", "b", "c", "y.txt", "z.txt"])
        #expect(try session.list("/", limit: 2).map(\.path.name) == ["a", "b"])
        #expect(try session.list("/", limit: 4).map(\.path.name) == ["a", "b", "c", "y.txt"])
        #expect(try session.list("/", limit: 9).count == 5)
        #expect(try session.list("/", limit: 0).isEmpty)
        #expect(try session.list("/y.txt", limit: 1).map(\.path.name) == ["y.txt"])
    }

    @Test func renameAndMoveKeepTheItem() throws {
        let scratch = try Scratch()
        let session = scratch.session
        let file = try scratch.write("draft.txt", Data("draft".utf8))
        try session.put(local: file, to: "/draft.txt")
        let id = try session.item(at: "/draft.txt").id

        #expect(try session.move("/draft.txt", to: "/final.txt").description == "/final.txt")
        #expect(try session.item(at: "/final.txt").id == id)
        expectDriveError(.notFound) { _ = try session.item(at: "/draft.txt") }

        try session.makeFolder("/archive")
        #expect(try session.move("/final.txt", to: "/archive").description == "/archive/final.txt")
        #expect(try session.item(at: "/archive/final.txt").id == id)
        #expect(try names(scratch, "/") == ["archive"])
        #expect(try session.contents("/archive/final.txt") == Data("draft".utf8))
        #expect(try session.versionNumbers("/archive/final.txt") == [1])

        // Folders move with everything inside.
        try session.makeFolder("/old")
        try session.move("/archive", to: "/old/archive 2024")
        #expect(try session.item(at: "/old/archive 2024/final.txt").id == id)
    }

    @Test func movesThatAreRefused() throws {
        let scratch = try Scratch()
        let session = scratch.session
        try session.makeFolder("/a/b/c", parents: true)
        let file = try scratch.write("x.txt", Data("x".utf8))
        try session.put(local: file, to: "/a/x.txt")
        try session.put(local: file, to: "/x.txt")
        let state = try session.state()

        expectDriveError(.invalidArgument) { try session.move("/a", to: "/a/b/c") } // into its own subtree
        expectDriveError(.invalidArgument) { try session.move("/a", to: "/a/b/inside") }
        expectDriveError(.invalidArgument) { try session.move("/", to: "/a") }
        expectDriveError(.alreadyExists) { try session.move("/x.txt", to: "/a/x.txt") }
        expectDriveError(.alreadyExists) { try session.move("/a/x.txt", to: "/") } // into "/", where x.txt is
        expectDriveError(.invalidArgument) { try session.move("/x.txt", to: "/a/x.txt/z.txt") }
        // Onto itself, or into the folder it is in: refused, as by mv(1).
        let same = expectDriveError(.invalidArgument) { try session.move("/a/x.txt", to: "/a/x.txt") }
        #expect(same?.reason == "it is already there")
        expectDriveError(.invalidArgument) { try session.move("/a/x.txt", to: "/a") }
        let itself = expectDriveError(.invalidArgument) { try session.move("/a", to: "/a") }
        #expect(itself?.reason == "a folder cannot be moved into itself")
        #expect(try session.state() == state)
    }

    @Test func trashListAndUntrash() throws {
        let scratch = try Scratch()
        let session = scratch.session
        let data = randomBytes(40_000, seed: 3)
        try scratch.write("docs/a.bin", data)
        try scratch.write("docs/sub/b.txt", Data("b".utf8))
        try session.put(local: scratch.path("docs"))
        let blocks = try session.stats().blocks

        try session.trash("/docs/a.bin")
        #expect(try names(scratch, "/docs") == ["sub"])
        expectDriveError(.notFound) { try session.get("/docs/a.bin", to: scratch.path("out")) }
        let trash = try session.trashList()
        #expect(trash.map(\.path.description) == ["/docs/a.bin"])
        #expect(trash.first?.item.trashedAt != nil)
        #expect(try session.stats().blocks == blocks) // the trash is recoverable: nothing is freed

        // A folder goes with its contents.
        try session.trash("/docs/sub")
        #expect(try session.trashList().map(\.path.description) == ["/docs/sub", "/docs/a.bin"])
        expectDriveError(.notFound) { _ = try session.item(at: "/docs/sub/b.txt") }

        try session.untrash("/docs/sub")
        #expect(try session.contents("/docs/sub/b.txt") == Data("b".utf8))
        try session.untrash("/docs/a.bin")
        #expect(try session.contents("/docs/a.bin") == data)
        #expect(try session.trashList().isEmpty)
        #expect(try session.versionNumbers("/docs/a.bin") == [1])
        expectDriveError(.notFound) { try session.untrash("/docs/a.bin") }
        expectDriveError(.invalidArgument) { try session.trash("/") }
    }

    @Test func untrashWhenTheNameIsTakenOrTheFolderIsGone() throws {
        let scratch = try Scratch()
        let session = scratch.session
        let one = try scratch.write("one.txt", Data("one".utf8))
        let two = try scratch.write("two.txt", Data("two".utf8))
        try session.put(local: one, to: "/f/note.txt")
        try session.trash("/f/note.txt")
        try session.put(local: two, to: "/f/note.txt")
        expectDriveError(.alreadyExists) { try session.untrash("/f/note.txt") }
        #expect(try session.contents("/f/note.txt") == Data("two".utf8))

        // Trash the new one too: untrash brings back the most recently trashed.
        try session.trash("/f/note.txt")
        try session.untrash("/f/note.txt")
        #expect(try session.contents("/f/note.txt") == Data("two".utf8))
        #expect(try session.trashList().count == 1)

        try session.trash("/f")
        expectDriveError(.notFound) { try session.untrash("/f/note.txt") }
    }
}
