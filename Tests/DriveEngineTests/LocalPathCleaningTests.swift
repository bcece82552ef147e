import DriveEngine
import Foundation
import GRDB
import Testing

/// Local paths are made absolute and cleaned lexically ("." and ".." folded, ".." at the root
/// staying there) before they are used or recorded, so one local file has one files-cache record.
@Suite struct LocalPathCleaningTests {
    @Test func getAndPutCleanTheLocalPath() throws {
        let scratch = try Scratch()
        let session = scratch.session
        try scratch.makeFolder("b")
        try session.put(local: try scratch.write("x.txt", Data("x\n".utf8)), to: "/x.txt")

        let got = try session.get("/x.txt", to: scratch.path("a/../b/./x.txt"))
        #expect(got.destination == scratch.path("b/x.txt"))
        #expect(try scratch.read(scratch.path("b/x.txt")) == Data("x\n".utf8))

        let rooted = try session.get("/x.txt", to: "/../.." + scratch.path("b//y.txt"))
        #expect(rooted.destination == scratch.path("b/y.txt"))

        let put = try session.put(local: scratch.path("b/../b/./x.txt"), to: "/copy.txt")
        #expect(put.filesStored == 1)
        let records = try scratch.query { db in try String.fetchAll(db, sql: "SELECT localPath FROM localFile ORDER BY localPath") }
        #expect(records == [scratch.path("b/x.txt"), scratch.path("b/y.txt"), scratch.path("x.txt")])
    }
}
