import DriveEngine
import Foundation
import Testing

/// The top-level name "shared" belongs to the virtual /shared folder: no way of creating or
/// moving an item may take it (it would be hidden behind /shared), and nothing changes.
@Suite struct ReservedSharedNameTests {
    /// A drive holding /hi.txt and /d/in.txt, with its state and journal position taken after.
    func populated() throws -> (Scratch, DriveState, Int64) {
        let scratch = try Scratch()
        try scratch.session.put(local: try scratch.write("hi.txt", Data("hi".utf8)), to: "/hi.txt")
        try scratch.session.put(local: try scratch.write("in.txt", Data("in".utf8)), to: "/d/in.txt")
        return (scratch, try scratch.session.state(), try scratch.drive.latestSequence())
    }

    func expectRefused(_ scratch: Scratch, _ operation: String, _ body: () throws -> Void) {
        let error = expectDriveError(.invalidArgument, body)
        #expect(error?.operation == operation)
        #expect(error?.reason.contains("/shared holds what others share with you; choose another name") == true
                    || error?.reason.contains("which holds what others share with you") == true, "\(String(describing: error))")
    }

    func expectUnchanged(_ scratch: Scratch, _ state: DriveState, _ seq: Int64) throws {
        #expect(try scratch.session.state() == state)
        #expect(try scratch.drive.latestSequence() == seq)
    }

    @Test func moveAndRenameToSharedAreRefused() throws {
        let (scratch, state, seq) = try populated()
        let session = scratch.session
        expectRefused(scratch, "mv") { try session.move("/hi.txt", to: "/shared") }
        expectRefused(scratch, "mv") { try session.move("/d", to: "/shared") }
        expectRefused(scratch, "mv") { try session.move("/d/in.txt", to: "/shared") }
        expectRefused(scratch, "mv") { try session.move("/d/in.txt", to: "shared/") }
        try expectUnchanged(scratch, state, seq)
    }

    @Test func putToSharedIsRefusedBeforeReading() throws {
        let (scratch, state, seq) = try populated()
        let session = scratch.session
        let file = try scratch.write("new.txt", textBytes(50_000, seed: 3))
        expectRefused(scratch, "put") { try session.put(local: file, to: "/shared") }
        let named = try scratch.write("up/shared", textBytes(50_000, seed: 4))
        expectRefused(scratch, "put") { try session.put(local: named) }
        let folder = try scratch.makeFolder("tree")
        try scratch.write("tree/a.txt", textBytes(50_000, seed: 5))
        expectRefused(scratch, "put") { try session.put(local: folder, to: "/shared") }
        try expectUnchanged(scratch, state, seq)
    }

    @Test func folderPutToTheRootWithAnEntryCalledSharedIsRefused() throws {
        let (scratch, state, seq) = try populated()
        let session = scratch.session
        let asFile = try scratch.makeFolder("with-file")
        try scratch.write("with-file/a.txt", textBytes(50_000, seed: 6))
        try scratch.write("with-file/shared", textBytes(50_000, seed: 7))
        expectRefused(scratch, "put") { try session.put(local: asFile, to: "/") }
        let asFolder = try scratch.makeFolder("with-folder")
        try scratch.write("with-folder/shared/b.txt", textBytes(50_000, seed: 8))
        expectRefused(scratch, "put") { try session.put(local: asFolder, to: "/") }
        try expectUnchanged(scratch, state, seq)
        // Below the top, "shared" is an ordinary name.
        try session.put(local: asFile, to: "/x")
        #expect(try session.item(at: "/x/shared").size == 50_000)
    }

    @Test func mkdirOfSharedIsRefusedAndDeeperNamesAreFine() throws {
        let (scratch, state, seq) = try populated()
        let session = scratch.session
        expectRefused(scratch, "mkdir") { try session.makeFolder("/shared") }
        expectRefused(scratch, "mkdir") { try session.makeFolder("/shared", parents: true) }
        try expectUnchanged(scratch, state, seq)
        try session.move("/hi.txt", to: "/d/shared")
        try session.makeFolder("/e/shared", parents: true)
        try session.put(local: try scratch.write("s.txt", Data("s".utf8)), to: "/e/shared/s.txt")
        #expect(try session.list("/d").map(\.path.description) == ["/d/in.txt", "/d/shared"])
    }

    @Test func untrashToSharedIsRefused() throws {
        let (scratch, state, seq) = try populated()
        expectRefused(scratch, "trash restore") { try scratch.session.untrash("/shared") }
        try expectUnchanged(scratch, state, seq)
    }
}
