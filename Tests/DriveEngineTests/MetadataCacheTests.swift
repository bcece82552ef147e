import DriveEngine
import Foundation
import Testing

/// The path cache of one `Drive` never answers with a stale item after another process (here,
/// a second `Drive` over the same store) changed the tree.
@Suite struct MetadataCacheTests {
    @Test func anotherProcessMovesAndReplacesAFile() throws {
        let scratch = try Scratch()
        let here = scratch.session
        try here.put(local: try scratch.write("a.txt", Data("first".utf8)), to: "/a.txt")
        // Fill this drive's cache for /a.txt through every kind of read.
        #expect(try here.contents("/a.txt") == Data("first".utf8))
        #expect(try here.item(at: "/a.txt").size == 5)
        #expect(try here.log("/a.txt").count == 1)

        let other = try Drive.open(at: scratch.store, create: false)
        let there = try other.session(for: "alice")
        try there.move("/a.txt", to: "/moved.txt")
        #expect(throws: DriveError.self) { _ = try here.contents("/a.txt") }
        try there.put(local: try scratch.write("b.txt", Data("second one".utf8)), to: "/a.txt")

        #expect(try here.contents("/a.txt") == Data("second one".utf8))
        #expect(try here.log("/a.txt").map(\.version.size) == [10])
        #expect(try here.contents("/moved.txt") == Data("first".utf8))
        let out = scratch.path("out.txt")
        try here.get("/a.txt", to: out)
        #expect(try scratch.read(out) == Data("second one".utf8))
    }

    @Test func anotherProcessTrashesAFolder() throws {
        let scratch = try Scratch()
        let here = scratch.session
        try here.put(local: try scratch.write("d/f.txt", Data("f".utf8)), to: "/d/f.txt")
        #expect(try here.list("/d").count == 1)
        #expect(try here.contents("/d/f.txt") == Data("f".utf8))

        let there = try Drive.open(at: scratch.store, create: false).session(for: "alice")
        try there.trash("/d")
        expectDriveError(.notFound) { _ = try here.contents("/d/f.txt") }
        expectDriveError(.notFound) { _ = try here.list("/d") }
    }
}
