@testable import DriveEngine
import Foundation
import GRDB
import Testing

/// A folder put takes the names in the folders it made as absent without a query, from one of
/// its transactions to the next. Another writer may add to such a folder in between: the put
/// then finds what it made, as a put of an existing file or folder does, and refuses nothing.
@Suite struct KnownFoldersTests {
    @Test func namesAnotherWriterMadeBetweenTwoTransactionsAreFound() throws {
        let scratch = try Scratch()
        let alice = scratch.session
        let new = try DrivePath("/new"), file = try DrivePath("/new/x.txt"), sub = try DrivePath("/new/sub")
        // The put's first transaction makes /new.
        let (made, carried) = try scratch.drive.write("put", "/new") { db -> (Bool, [Int64: Set<String>]) in
            var known = KnownFolders()
            let made = try alice.folder(db, new, known: &known).made
            return (made, known.namesMade)
        }
        #expect(made && carried.count == 1 && carried.values.first == [])
        // Another writer, between the put's transactions.
        try alice.put(local: try scratch.write("x.txt", Data("theirs".utf8)), to: "/new/x.txt")
        let theirs = try alice.makeFolder("/new/sub")

        // The put's next transaction, still taking both names as absent, finds them.
        let (outcome, folder) = try scratch.drive.write("put", "/new") { db -> (CommitOutcome, (item: Item, made: Bool)) in
            var known = KnownFolders(namesMade: carried)
            let folder = try alice.folder(db, sub, known: &known)
            let outcome = try alice.commit(db, FileCommit(dest: file, blocks: [], size: 0), folders: &known)
            return (outcome, folder)
        }
        #expect(folder.item.id == theirs.id && !folder.made)
        guard case .updated(let version) = outcome else {
            Issue.record("expected a new version of the other writer's file, got \(outcome)")
            return
        }
        #expect(version.number == 2)
        #expect(try alice.list("/new").map(\.path.name).sorted() == ["sub", "x.txt"])
    }
}
