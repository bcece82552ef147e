import DriveEngine
import Foundation
import Testing

/// Bad input: each case is one `DriveError` with the right code, and the drive is as it was.
@Suite struct BadInputTests {
    /// A drive holding /docs/report.txt and /docs/old, with the state taken after it.
    func populated() throws -> (Scratch, DriveState) {
        let scratch = try Scratch()
        let file = try scratch.write("report.txt", textBytes(20_000, seed: 1))
        try scratch.session.put(local: file, to: "/docs/report.txt")
        try scratch.session.makeFolder("/docs/old")
        return (scratch, try scratch.session.state())
    }

    @Test func missingLocalPath() throws {
        let (scratch, state) = try populated()
        let error = expectDriveError(.notFound) { try scratch.session.put(local: scratch.path("no such file"), to: "/x") }
        #expect(error?.subject.hasSuffix("no such file") == true)
        expectDriveError(.notFound) { try scratch.session.put(local: scratch.path("no/such/folder/below")) }
        #expect(try scratch.session.state() == state)
    }

    @Test func drivePathThatDoesNotExist() throws {
        let (scratch, state) = try populated()
        let session = scratch.session
        let error = expectDriveError(.notFound) { try session.get("/docs/missing.txt", to: scratch.path("out")) }
        #expect(error?.subject == "/docs/missing.txt")
        expectDriveError(.notFound) { _ = try session.list("/nowhere") }
        expectDriveError(.notFound) { _ = try session.list("/docs/report.txt/below") }
        expectDriveError(.notFound) { _ = try session.log("/docs/missing.txt") }
        expectDriveError(.notFound) { _ = try session.item(at: "/docs/old/nothing") }
        expectDriveError(.notFound) { try session.restore("/docs/missing.txt", version: 1) }
        expectDriveError(.notFound) { try session.pin("/docs/missing.txt", version: 1) }
        expectDriveError(.notFound) { try session.move("/docs/missing.txt", to: "/docs/found.txt") }
        expectDriveError(.notFound) { try session.move("/docs/report.txt", to: "/nowhere/report.txt") }
        expectDriveError(.notFound) { try session.trash("/docs/missing.txt") }
        expectDriveError(.notFound) { try session.untrash("/docs/missing.txt") }
        expectDriveError(.notFound) { try session.makeFolder("/nowhere/new") }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
        #expect(try scratch.session.state() == state)
    }

    @Test(arguments: ["/docs/../etc", "/docs/..", "..", "/a/./b", "/docs/re\u{0}port.txt", "/\u{0}"])
    func dotDotAndNulInDrivePaths(_ path: String) throws {
        let (scratch, state) = try populated()
        let session = scratch.session
        let local = try scratch.write("new.txt", Data("new".utf8))
        expectDriveError(.invalidArgument) { try session.put(local: local, to: path) }
        expectDriveError(.invalidArgument) { try session.put(local: scratch.local.path, to: path) }
        expectDriveError(.invalidArgument) { try session.get(path, to: scratch.path("out")) }
        expectDriveError(.invalidArgument) { try session.makeFolder(path) }
        expectDriveError(.invalidArgument) { try session.move("/docs/report.txt", to: path) }
        expectDriveError(.invalidArgument) { try session.move(path, to: "/docs/x") }
        expectDriveError(.invalidArgument) { try session.trash(path) }
        expectDriveError(.invalidArgument) { _ = try session.log(path) }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("out")))
        #expect(try scratch.session.state() == state)
    }

    /// A NUL in a local path would cut it short at the C boundary and name another file.
    @Test func nulInLocalPaths() throws {
        let (scratch, state) = try populated()
        let local = try scratch.write("new.txt", Data("new".utf8))
        expectDriveError(.invalidArgument) { try scratch.session.put(local: local + "\u{0}.ignored", to: "/new.txt") }
        expectDriveError(.invalidArgument) { try scratch.session.get("/docs/report.txt", to: scratch.path("out") + "\u{0}.ignored") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.local.path).sorted() == ["new.txt", "report.txt"])
        #expect(try scratch.session.state() == state)
    }

    @Test func namesOverTwoHundredFiftyFiveBytes() throws {
        let (scratch, state) = try populated()
        let session = scratch.session
        let local = try scratch.write("new.txt", Data("new".utf8))
        let ascii = String(repeating: "a", count: 256)
        let hangul = String(repeating: "한", count: 86) // 258 bytes in UTF-8
        for name in [ascii, hangul] {
            expectDriveError(.invalidArgument) { try session.put(local: local, to: "/docs/" + name) }
            expectDriveError(.invalidArgument) { try session.makeFolder("/" + name) }
            expectDriveError(.invalidArgument) { try session.move("/docs/report.txt", to: "/docs/" + name) }
        }
        #expect(try scratch.session.state() == state)

        // 255 bytes is the limit, not over it.
        try session.makeFolder("/" + String(repeating: "a", count: 255))
        try session.put(local: local, to: "/docs/" + String(repeating: "한", count: 85))
        #expect(try session.contents("/docs/" + String(repeating: "한", count: 85)) == Data("new".utf8))
    }

    @Test func folderOntoFileAndFileOntoFolder() throws {
        let (scratch, state) = try populated()
        let session = scratch.session
        try scratch.write("tree/inside.txt", Data("inside".utf8))
        let file = try scratch.write("new.txt", Data("new".utf8))
        expectDriveError(.invalidArgument) { try session.put(local: scratch.path("tree"), to: "/docs/report.txt") }
        expectDriveError(.invalidArgument) { try session.put(local: file, to: "/docs/old") }
        expectDriveError(.invalidArgument) { try session.put(local: file, to: "/docs") }
        expectDriveError(.invalidArgument) { try session.put(local: file, to: "/") }
        expectDriveError(.invalidArgument) { try session.put(local: file, to: "/docs/report.txt/below.txt") }
        expectDriveError(.invalidArgument) { try session.put(local: scratch.path("tree"), to: "/docs/report.txt/tree") }
        #expect(try scratch.session.state() == state)
    }

    /// A clash found only while committing (a local folder where the drive has a file, deep in
    /// the tree) leaves the tree as it was; the blocks already written are garbage for gc.
    @Test func clashDeepInsideAFolderPut() throws {
        let (scratch, state) = try populated()
        try scratch.write("docs/fresh.txt", randomBytes(9000, seed: 5))
        try scratch.write("docs/report.txt/inside.txt", randomBytes(9000, seed: 6))
        #expect(throws: DriveError.self) { try scratch.session.put(local: scratch.path("docs")) }
        var after = try scratch.session.state()
        #expect(after.items == state.items)
        #expect(after.journalSeq == state.journalSeq)
        try scratch.drive.collectGarbage()
        after = try scratch.session.state()
        #expect(after == state)
    }

    @Test func getOntoAnExistingLocalFileNeedsForce() throws {
        let (scratch, state) = try populated()
        let session = scratch.session
        let mine = Data("my local file".utf8)
        let target = try scratch.write("report.txt", mine)
        let error = expectDriveError(.alreadyExists) { try session.get("/docs/report.txt", to: target) }
        #expect(error?.subject == target)
        #expect(try scratch.read(target) == mine)

        try session.get("/docs/report.txt", to: target, force: true)
        #expect(try scratch.read(target) == textBytes(20_000, seed: 1))

        // A folder cannot replace a file, nor a file a folder, even when forced.
        expectDriveError(.alreadyExists) { try session.get("/docs", to: target, force: true) }
        let folder = try scratch.makeFolder("a folder")
        expectDriveError(.alreadyExists) { try session.get("/docs/report.txt", to: folder) }
        expectDriveError(.alreadyExists) { try session.get("/docs/report.txt", to: folder, force: true) }
        expectDriveError(.notFound) { try session.get("/docs/report.txt", to: scratch.path("no/such/folder/x")) }
        #expect(try scratch.read(target) == textBytes(20_000, seed: 1))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        #expect(try scratch.session.state() == state)
    }

    @Test func getOfAFolderOntoAnExistingFolderNeedsForce() throws {
        let (scratch, _) = try populated()
        let target = try scratch.makeFolder("docs")
        try scratch.write("docs/mine.txt", Data("mine".utf8))
        expectDriveError(.alreadyExists) { try scratch.session.get("/docs", to: target) }
        #expect(try localTree(target) == ["mine.txt": .file(Data("mine".utf8))])
        try scratch.session.get("/docs", to: target, force: true)
        #expect(try localTree(target) == [
            "mine.txt": .file(Data("mine".utf8)), "old": .folder, "report.txt": .file(textBytes(20_000, seed: 1)),
        ])
    }
}
