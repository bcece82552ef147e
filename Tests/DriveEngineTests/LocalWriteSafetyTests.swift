#if canImport(Glibc)
import Glibc
#endif
import DriveEngine
import Foundation
import Testing

/// Invariant 7: get never writes outside the local path it is given, even through symbolic
/// links already there; a folder put stores links as links and skips pipes and devices.
@Suite struct LocalWriteSafetyTests {
    /// A drive holding /docs/report.txt and /docs/sub/inner.txt; an `outside` folder with a file.
    func setUp() throws -> (Scratch, outside: String) {
        let scratch = try Scratch()
        try scratch.write("docs/report.txt", Data("report".utf8))
        try scratch.write("docs/sub/inner.txt", Data("inner".utf8))
        try scratch.session.put(local: scratch.path("docs"))
        try scratch.write("outside/report.txt", Data("not yours".utf8))
        return (scratch, scratch.path("outside"))
    }

    @Test func aLinkToAFileIsReplacedNotWrittenThrough() throws {
        let (scratch, outside) = try setUp()
        let target = try scratch.makeFolder("target")
        try FileManager.default.createSymbolicLink(atPath: target + "/report.txt", withDestinationPath: outside + "/report.txt")
        try scratch.session.get("/docs", to: target, force: true)
        #expect(try scratch.read(outside + "/report.txt") == Data("not yours".utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: target + "/report.txt")
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(try scratch.read(target + "/report.txt") == Data("report".utf8))
    }

    @Test func aLinkToAFolderIsRefused() throws {
        let (scratch, outside) = try setUp()
        let target = try scratch.makeFolder("target")
        try FileManager.default.createSymbolicLink(atPath: target + "/sub", withDestinationPath: outside)
        expectDriveError(.alreadyExists) { try scratch.session.get("/docs", to: target, force: true) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["report.txt"])
    }

    /// Links are stored as links (SymbolicLinkTests); what is neither a file, a folder nor a
    /// link (here a named pipe, which a read would block on) is skipped and reported.
    @Test func aFolderPutStoresLinksAndSkipsPipes() throws {
        let (scratch, outside) = try setUp()
        try scratch.write("linked/real.txt", Data("real".utf8))
        try FileManager.default.createSymbolicLink(atPath: scratch.path("linked/link.txt"), withDestinationPath: outside + "/report.txt")
        #expect(mkfifo(scratch.path("linked/pipe"), 0o644) == 0)
        let report = try scratch.session.put(local: scratch.path("linked"))
        #expect(report.filesStored == 2)
        #expect(report.skippedPaths == [scratch.path("linked/pipe")])
        #expect(try scratch.session.list("/linked").map(\.path.name) == ["link.txt", "real.txt"])
        #expect(try scratch.session.list("/linked/link.txt").map(\.linkTarget) == [outside + "/report.txt"])
    }
}
