import DriveEngine
import Foundation
import Testing

/// A put that would be refused as a conflict (a local file edited from a version that is no
/// longer the head) is refused before any block is stored: nothing changes.
@Suite struct EarlyConflictTests {
    /// alice has /notes.txt at version 2; `copy` is a local copy got at version 1 and edited since.
    func staleCopy(_ edit: Data) throws -> (Scratch, String) {
        let scratch = try Scratch()
        let session = scratch.session
        try session.put(local: try scratch.write("orig.txt", textBytes(40_000, seed: 1)), to: "/notes.txt")
        let copy = try scratch.makeFolder("copy") + "/notes.txt"
        try session.get("/notes.txt", to: copy)
        try session.put(local: try scratch.write("orig.txt", textBytes(40_000, seed: 2)), to: "/notes.txt")
        try edit.write(to: URL(fileURLWithPath: copy))
        // An edit of the same size must still look edited: move the mtime well away.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)], ofItemAtPath: copy)
        return (scratch, copy)
    }

    @Test(arguments: [60_000, 40_000])
    func conflictingFilePutStoresNoBlocks(size: Int) throws {
        let (scratch, copy) = try staleCopy(textBytes(size, seed: 9))
        let state = try scratch.session.state()
        let blocks = try scratch.session.stats().blocks
        let error = expectDriveError(.conflict) { try scratch.session.put(local: copy, to: "/notes.txt") }
        #expect(error?.reason.contains("edited from version 1, but the drive has version 2 now") == true)
        #expect(try scratch.session.stats().blocks == blocks)
        #expect(try scratch.session.state() == state)
        try scratch.session.put(local: copy, to: "/notes.txt", onStale: .replace)
        #expect(try scratch.session.versionNumbers("/notes.txt") == [3, 2, 1])
    }

    @Test func conflictingFolderPutStoresNoBlocks() throws {
        let (scratch, copy) = try staleCopy(textBytes(60_000, seed: 9))
        try scratch.write("copy/other.txt", textBytes(30_000, seed: 10))
        let state = try scratch.session.state()
        let blocks = try scratch.session.stats().blocks
        expectDriveError(.conflict) { try scratch.session.put(local: scratch.path("copy"), to: "/") }
        #expect(try scratch.session.stats().blocks == blocks)
        #expect(try scratch.session.state() == state)
        #expect(copy.hasSuffix("copy/notes.txt"))
    }

    /// Edited back to the very bytes of the head: unchanged, as at commit, not a conflict.
    @Test func anEditThatMatchesTheHeadIsUnchanged() throws {
        let (scratch, copy) = try staleCopy(textBytes(40_000, seed: 2))
        let report = try scratch.session.put(local: copy, to: "/notes.txt")
        #expect(report.filesUnchanged == 1)
        #expect(try scratch.session.versionNumbers("/notes.txt") == [2, 1])
    }

    /// The file a local copy came from was deleted and another took its path: putting the edited
    /// copy there would silently replace a file it was never based on. Untouched, or to another
    /// path, it is fine.
    @Test func aCopyOfADeletedFileDoesNotReplaceTheNewOneAtItsPath() throws {
        let scratch = try Scratch()
        let session = scratch.session
        try session.put(local: try scratch.write("orig.txt", textBytes(3_000, seed: 1)), to: "/p.txt")
        let copy = try scratch.makeFolder("copy") + "/p.txt"
        try session.get("/p.txt", to: copy)
        try session.trash("/p.txt")
        let other = textBytes(2_000, seed: 2)
        try session.put(local: try scratch.write("other.txt", other), to: "/p.txt")
        try textBytes(4_000, seed: 3).write(to: URL(fileURLWithPath: copy))
        let state = try session.state()
        let blocks = try session.stats().blocks
        let error = expectDriveError(.conflict) { try session.put(local: copy, to: "/p.txt") }
        #expect(error?.reason.contains("was edited from a file at /p.txt that was deleted since") == true, "\(String(describing: error))")
        #expect(try session.stats().blocks == blocks)
        #expect(try session.state() == state)
        #expect(try session.contents("/p.txt") == other)
        try session.put(local: copy, to: "/elsewhere.txt")
        try session.put(local: copy, to: "/p.txt", onStale: .replace)
        #expect(try session.contents("/p.txt") == textBytes(4_000, seed: 3))
    }
}
