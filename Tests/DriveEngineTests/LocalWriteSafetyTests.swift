#if canImport(Glibc)
import Glibc
#endif
import DriveEngine
import Foundation
import Synchronization
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

    /// A get of a folder into a new path writes the tree in a hidden staging folder beside it
    /// and renames that into place once: the path never names a partial tree, nothing is left
    /// beside it, and the files cache knows each file (a put of the copy skips every one unread).
    @Test func aNewFolderAppearsWholeAndLeavesNoStagingFolder() throws {
        let (scratch, _) = try setUp()
        try FileManager.default.createSymbolicLink(atPath: scratch.path("docs/link.txt"), withDestinationPath: "report.txt")
        try scratch.session.put(local: scratch.path("docs"))
        let parent = try scratch.makeFolder("copies")
        let target = parent + "/docs"
        let seen = Mutex<[[String]]>([])
        let options = TransferOptions(progress: { _ in
            seen.withLock { $0.append((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []) }
        })
        let report = try scratch.session.get("/docs", to: target, options: options)
        #expect(report.files == 3)
        // While the files were written only the hidden staging folder was there.
        #expect(seen.withLock { $0 }.allSatisfy { $0.count == 1 && $0[0].hasPrefix(".docs.cairn-") && $0[0].hasSuffix(".tmp") })
        #expect(!seen.withLock { $0 }.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["docs"])
        #expect(try scratch.read(target + "/sub/inner.txt") == Data("inner".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: target + "/link.txt") == "report.txt")
        let again = try scratch.session.put(local: target, to: "/docs")
        #expect(again.filesSkipped == 3)
        #expect(again.filesStored == 0)
    }

    /// A folder got to a name of 252 bytes (84 Korean syllables) is staged under a name cut to
    /// whole characters of at most 200 bytes: the staging name stays under the 255-byte limit.
    @Test func aNewFolderWithALongKoreanNameIsStagedUnderAShorterName() throws {
        let (scratch, _) = try setUp()
        let name = String(repeating: "폴더이름", count: 21)
        #expect(name.utf8.count == 252)
        let parent = try scratch.makeFolder("copies")
        let staged = Mutex<[String]>([])
        let options = TransferOptions(progress: { _ in
            staged.withLock { $0 += (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] }
        })
        let report = try scratch.session.get("/docs", to: parent + "/" + name, options: options)
        #expect(report.files == 2)
        #expect(try scratch.read(parent + "/" + name + "/sub/inner.txt") == Data("inner".utf8))
        let names = staged.withLock { $0 }
        #expect(!names.isEmpty && names.allSatisfy { $0.utf8.count <= 255 && $0.hasPrefix("." + String(name.prefix(66)) + ".cairn-") }, "\(names)")
    }

    /// What a killed get left in a folder (a hidden staging folder, a half-written temporary
    /// file) is not stored by a put of that folder, and is reported.
    @Test func aPutLeavesOutWhatAKilledGetLeft() throws {
        let (scratch, _) = try setUp()
        try scratch.write("home/notes.txt", Data("notes".utf8))
        try scratch.write("home/.docs.cairn-1a2b3c.tmp/report.txt", Data("half".utf8))
        try scratch.write("home/sub/.inner.txt.cairn-zz9.tmp", Data("hal".utf8))
        let report = try scratch.session.put(local: scratch.path("home"))
        #expect(report.filesStored == 1)
        #expect(report.temporaryPaths.sorted() == [scratch.path("home/.docs.cairn-1a2b3c.tmp"), scratch.path("home/sub/.inner.txt.cairn-zz9.tmp")])
        #expect(try scratch.session.list("/home").map(\.item.name).sorted() == ["notes.txt", "sub"])
        #expect(try scratch.session.list("/home/sub").isEmpty)
    }

    /// A staged get that stops midway (cancelled after its first group of 1,000 files) removes
    /// the staging folder with everything written in it: nothing at the path, nothing beside it.
    @Test func aCancelledGetOfANewFolderLeavesNothing() throws {
        let scratch = try Scratch()
        for index in 0..<1_001 { try scratch.write("many/\(index).txt", Data("file \(index)".utf8)) }
        try scratch.session.put(local: scratch.path("many"))
        let parent = try scratch.makeFolder("copies")
        let cancellation = Cancellation()
        let options = TransferOptions(progress: { _ in cancellation.cancel() }, cancellation: cancellation)
        #expect(throws: (any Error).self) { try scratch.session.get("/many", to: parent + "/many", options: options) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == [])
    }

    /// A folder made at the path while a staged get runs is left as it is (even empty: the
    /// final rename never replaces anything) and the get fails saying so.
    @Test func aFolderMadeWhileTheGetRunsIsKept() throws {
        let (scratch, _) = try setUp()
        let parent = try scratch.makeFolder("copies")
        let target = parent + "/docs"
        let options = TransferOptions(progress: { _ in mkdir(target, 0o700) })
        expectDriveError(.alreadyExists) { try scratch.session.get("/docs", to: target, options: options) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["docs"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == [])
    }
}
