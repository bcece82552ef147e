import DriveEngine
import Foundation
import Testing

/// Re-putting a folder reads only the files whose size or mtime changed (the files cache).
@Suite struct FolderPutTests {
    static let files = ["a.txt", "b.txt", "sub/c.txt", "sub/d.bin", "sub/deeper/e.txt"]

    func makeTree(_ scratch: Scratch) throws -> String {
        for (index, name) in Self.files.enumerated() {
            try scratch.write("project/\(name)", textBytes(3000 + index * 1000, seed: UInt64(index)))
        }
        return scratch.path("project")
    }

    func setModified(_ path: String, _ seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
    }

    @Test func rePutOfAnUnchangedFolderReadsNothing() throws {
        let scratch = try Scratch()
        let folder = try makeTree(scratch)
        let first = try scratch.session.put(local: folder)
        #expect(first.filesStored == Self.files.count)
        let state = try scratch.session.state()

        let second = try scratch.session.put(local: folder)
        #expect(second.filesSkipped == Self.files.count)
        #expect(second.filesStored == 0)
        #expect(second.filesUnchanged == 0)
        #expect(second.bytesRead == 0)
        #expect(second.foldersCreated == 0)
        #expect(try scratch.session.state() == state)
    }

    @Test func rePutPicksUpModifiedAndNewFiles() throws {
        let scratch = try Scratch()
        let folder = try makeTree(scratch)
        try scratch.session.put(local: folder)

        // a.txt: new content and size. b.txt: same content, new mtime. d.bin: same size, new
        // content and mtime. new.txt: new file in a new folder.
        try scratch.write("project/a.txt", Data("rewritten".utf8))
        try setModified(folder + "/b.txt", 1_500_000_000)
        var d = try scratch.read(folder + "/sub/d.bin")
        d[10] ^= 0xFF
        try d.write(to: URL(fileURLWithPath: folder + "/sub/d.bin"))
        try setModified(folder + "/sub/d.bin", 1_500_000_100)
        try scratch.write("project/added/new.txt", Data("new".utf8))

        let report = try scratch.session.put(local: folder)
        #expect(report.filesSkipped == 2) // c.txt, e.txt
        #expect(report.filesStored == 3) // a.txt, d.bin, new.txt
        #expect(report.filesUnchanged == 1) // b.txt was read, its content is the same
        #expect(report.foldersCreated == 1)
        #expect(try scratch.session.versionNumbers("/project/a.txt") == [2, 1])
        #expect(try scratch.session.versionNumbers("/project/b.txt") == [1])
        #expect(try scratch.session.versionNumbers("/project/sub/d.bin") == [2, 1])
        #expect(try scratch.session.versionNumbers("/project/sub/c.txt") == [1])
        #expect(try scratch.session.contents("/project/sub/d.bin") == d)
        #expect(try scratch.session.contents("/project/added/new.txt") == Data("new".utf8))

        // Nothing changed since: everything is skipped.
        let third = try scratch.session.put(local: folder)
        #expect(third.filesSkipped == Self.files.count + 1)
        #expect(third.filesStored == 0)

        let out = scratch.path("copy")
        try scratch.session.get("/project", to: out)
        #expect(try localTree(out) == localTree(folder))
    }

    /// The cache says "unchanged since version N"; once the drive moved on, the file is read again.
    @Test func rePutReadsFilesWhoseDriveSideChanged() throws {
        let scratch = try Scratch()
        let folder = try makeTree(scratch)
        try scratch.session.put(local: folder)
        try scratch.session.trash("/project/a.txt")
        let other = try scratch.write("other.txt", Data("someone else's edit".utf8))
        try scratch.session.put(local: other, to: "/project/b.txt")

        let report = try scratch.session.put(local: folder)
        #expect(report.filesSkipped == Self.files.count - 2)
        #expect(report.filesStored == 2)
        #expect(try scratch.session.contents("/project/a.txt") == scratch.read(folder + "/a.txt"))
        #expect(try scratch.session.contents("/project/b.txt") == scratch.read(folder + "/b.txt"))
        #expect(try scratch.session.versionNumbers("/project/b.txt") == [3, 2, 1])
    }

    /// A folder put merges into what is there: drive files with no local counterpart stay.
    @Test func folderPutMergesIntoAnExistingFolder() throws {
        let scratch = try Scratch()
        let folder = try makeTree(scratch)
        try scratch.session.makeFolder("/project")
        let extra = try scratch.write("extra.txt", Data("only in the drive".utf8))
        try scratch.session.put(local: extra, to: "/project/extra.txt")
        let report = try scratch.session.put(local: folder)
        #expect(report.foldersCreated == 2) // sub, sub/deeper
        let names = try scratch.session.list("/project").map(\.path.name)
        #expect(names == ["sub", "a.txt", "b.txt", "extra.txt"])
    }

    /// The files cache remembers a local file per destination: putting the same folder somewhere
    /// else stores every file there too.
    @Test func sameFolderToASecondDestination() throws {
        let scratch = try Scratch()
        let folder = try makeTree(scratch)
        try scratch.session.put(local: folder)
        let report = try scratch.session.put(local: folder, to: "/backup/project")
        #expect(report.filesSkipped == 0)
        #expect(report.filesUnchanged == 0)
        #expect(report.filesStored == Self.files.count)
        #expect(report.newBlocks == 0)
        let out = scratch.path("copy")
        try scratch.session.get("/backup/project", to: out)
        #expect(try localTree(out) == localTree(folder))

        // Back at the first destination nothing changed: no file is stored again (the cache
        // holds one destination per local file, so they may be read to find that out).
        let again = try scratch.session.put(local: folder)
        #expect(again.filesStored == 0)
        #expect(again.filesSkipped + again.filesUnchanged == Self.files.count)
    }

    /// Names arrive NFD from some systems (macOS): the drive stores them NFC, and the files cache
    /// still recognises the files on the next put.
    @Test func decomposedNamesAreStoredComposed() throws {
        let scratch = try Scratch()
        let decomposed = "한글 문서.txt".decomposedStringWithCanonicalMapping
        #expect(decomposed.utf8.count != "한글 문서.txt".utf8.count)
        try scratch.write("nfd/" + decomposed, Data("nfd".utf8))
        try scratch.session.put(local: scratch.path("nfd"))
        #expect(try scratch.session.list("/nfd").map(\.path.name) == ["한글 문서.txt"])
        #expect(try scratch.session.contents("/nfd/한글 문서.txt") == Data("nfd".utf8))
        #expect(try scratch.session.put(local: scratch.path("nfd")).filesSkipped == 1)
    }

    /// A folder put to "/" merges the folder's contents into the root.
    @Test func folderPutIntoTheRoot() throws {
        let scratch = try Scratch()
        let folder = try makeTree(scratch)
        let report = try scratch.session.put(local: folder, to: "/")
        #expect(report.filesStored == Self.files.count)
        #expect(try scratch.session.list("/").map(\.path.name) == ["sub", "a.txt", "b.txt"])
        #expect(try scratch.session.put(local: folder, to: "/").filesSkipped == Self.files.count)
    }
}
