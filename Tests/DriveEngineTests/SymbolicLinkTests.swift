#if canImport(Glibc)
import Glibc
#endif
import DriveEngine
import Foundation
import GRDB
import Testing

/// Symbolic links are stored as links, their target exactly as `readlink` gives it, never
/// followed (inside the folder, outside it, dangling, to a folder); get makes them again as links,
/// replacing what is there in one step and never writing through a link.
@Suite struct SymbolicLinkTests {
    /// Makes a link at `relative` below the scratch folder (and its folders) to `target`.
    @discardableResult
    func link(_ scratch: Scratch, _ relative: String, to target: String) throws -> String {
        let path = scratch.path(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        return path
    }

    /// Replaces the link at `relative` by one to `target` (a link cannot be changed in place).
    func relink(_ scratch: Scratch, _ relative: String, to target: String) throws {
        try FileManager.default.removeItem(atPath: scratch.path(relative))
        try link(scratch, relative, to: target)
    }

    func head(_ scratch: Scratch, _ path: String) throws -> Version {
        try #require(try scratch.session.log(path).first(where: \.isHead)).version
    }

    /// Names below the folder that get may leave behind only when it wrote non-atomically.
    func leftovers(_ folder: String) throws -> [String] {
        try localTree(folder).keys.filter { $0.contains(".cairn-") }
    }

    @Test func linksInsideOutsideDanglingAndToAFolderAreStoredAsLinks() throws {
        let scratch = try Scratch()
        try scratch.write("tree/real.txt", Data("real".utf8))
        try scratch.write("tree/sub/inner.txt", Data("inner".utf8))
        try scratch.write("outside/secret.txt", Data("not in the tree".utf8))
        let targets = [
            "inside.txt": "real.txt",
            "outside.txt": scratch.path("outside/secret.txt"),
            "dangling": "../nowhere/at all",
            "folder link": scratch.path("outside"),
            "sub link": "sub",
        ]
        for (name, target) in targets { try link(scratch, "tree/" + name, to: target) }

        let report = try scratch.session.put(local: scratch.path("tree"))
        #expect(report.filesStored == 7)
        #expect(report.skippedPaths.isEmpty)
        #expect(report.bytesRead == 9, "only real.txt and sub/inner.txt are read")

        let listed = try scratch.session.list("/tree")
        #expect(Dictionary(uniqueKeysWithValues: listed.compactMap { entry in entry.linkTarget.map { (entry.item.name, $0) } }) == targets)
        #expect(listed.first { $0.item.name == "real.txt" }?.linkTarget == nil)
        #expect(listed.first { $0.item.name == "sub" }?.item.isFolder == true)
        for (name, target) in targets {
            let version = try head(scratch, "/tree/" + name)
            #expect(version.linkTarget == target && version.isLink)
            #expect(version.size == 0 && version.blockCount == 0 && version.newBlocks == 0)
            let item = try scratch.session.item(at: "/tree/" + name)
            #expect(!item.isFolder && item.size == 0)
        }
        // A link to a folder is not descended into, and nothing outside the tree is stored.
        expectDriveError(.notFound) { _ = try scratch.session.item(at: "/tree/folder link/secret.txt") }
        #expect(try scratch.session.stats().logicalBytes == 9)
        // The files cache records each link as the version it was put as.
        let cached = try scratch.query { db in
            try Int64.fetchOne(db, sql: "SELECT versionId FROM localFile WHERE localPath = ?", arguments: [scratch.path("tree/dangling")])
        }
        #expect(cached == (try head(scratch, "/tree/dangling").id))
    }

    @Test func aLinkNamedAloneIsStoredAsALinkNotWhatItPointsTo() throws {
        let scratch = try Scratch()
        try scratch.write("outside/big.bin", randomBytes(100_000, seed: 3))
        try scratch.makeFolder("outside/folder")
        try link(scratch, "file link", to: scratch.path("outside/big.bin"))
        try link(scratch, "folder link", to: scratch.path("outside/folder"))
        try link(scratch, "dangling link", to: "gone")

        for name in ["file link", "folder link", "dangling link"] {
            let report = try scratch.session.put(local: scratch.path(name))
            #expect(report.filesStored == 1 && report.bytesRead == 0, "\(name): \(report)")
            #expect(report.destination.description == "/" + name)
            #expect(try scratch.session.list("/" + name).map(\.linkTarget) == [try FileManager.default.destinationOfSymbolicLink(atPath: scratch.path(name))])
        }
        #expect(try scratch.session.stats().logicalBytes == 0)
        #expect(try scratch.session.item(at: "/folder link").isFolder == false)
    }

    @Test func koreanNamesAndTargetsKeepTheirExactBytes() throws {
        let scratch = try Scratch()
        try scratch.write("트리/사진/한글 파일.txt", Data("가나다".utf8))
        try link(scratch, "트리/문서/보고서 링크", to: "../사진/한글 파일.txt")
        // macOS hands out decomposed Hangul: a target is stored as its bytes, not normalised
        // like a name is.
        let decomposed = "../사진/한글 파일.txt".decomposedStringWithCanonicalMapping
        try link(scratch, "트리/분해된 링크", to: decomposed)

        try scratch.session.put(local: scratch.path("트리"), to: "/트리")
        #expect(try scratch.session.list("/트리/문서").map(\.linkTarget) == ["../사진/한글 파일.txt"])
        let stored = try #require(try head(scratch, "/트리/분해된 링크").linkTarget)
        #expect(Array(stored.utf8) == Array(decomposed.utf8))

        let out = scratch.path("복사본")
        try scratch.session.get("/트리", to: out)
        #expect(localLinkTarget(out + "/문서/보고서 링크") == Array("../사진/한글 파일.txt".utf8))
        #expect(localLinkTarget(out + "/분해된 링크") == Array(decomposed.utf8))
        #expect(try scratch.read(out + "/문서/보고서 링크") == Data("가나다".utf8), "the relative link resolves in the copy")

        // The NFC spelling of the same target is another target: a new version.
        try relink(scratch, "트리/분해된 링크", to: decomposed.precomposedStringWithCanonicalMapping)
        #expect(try scratch.session.put(local: scratch.path("트리/분해된 링크"), to: "/트리/분해된 링크").filesStored == 1)
        #expect(try scratch.session.versionNumbers("/트리/분해된 링크") == [2, 1])
    }

    @Test func rePuttingAnUnchangedLinkIsUnchanged() throws {
        let scratch = try Scratch()
        try link(scratch, "tree/link", to: "somewhere")
        try scratch.session.put(local: scratch.path("tree"))

        // Same size, mtime and inode: not even read.
        #expect(try scratch.session.put(local: scratch.path("tree")).filesSkipped == 1)
        // Made again with the same target (a new inode): read, and the same as the head.
        try relink(scratch, "tree/link", to: "somewhere")
        let again = try scratch.session.put(local: scratch.path("tree"))
        #expect(again.filesUnchanged == 1 && again.filesStored == 0, "\(again)")
        let alone = try scratch.session.put(local: scratch.path("tree/link"), to: "/tree/link")
        #expect(alone.filesUnchanged == 1 && alone.filesStored == 0, "\(alone)")
        #expect(try scratch.session.versionNumbers("/tree/link") == [1])
    }

    @Test func aChangedTargetMakesAVersionAndRestoringAnOldOneBringsItsTargetBack() throws {
        let scratch = try Scratch()
        let local = try link(scratch, "link", to: "first target")
        try scratch.session.put(local: local)
        try relink(scratch, "link", to: "second target")
        #expect(try scratch.session.put(local: local).filesStored == 1)
        #expect(try scratch.session.log("/link").map(\.version.linkTarget) == ["second target", "first target"])

        // A regular file at the same path is a version too, and no longer a link.
        try FileManager.default.removeItem(atPath: local)
        try scratch.write("link", Data("now a file".utf8))
        try scratch.session.put(local: local)
        #expect(try scratch.session.list("/").first?.linkTarget == nil)
        #expect(try scratch.session.contents("/link") == Data("now a file".utf8))

        // get --version writes an old version as the link it was.
        try scratch.session.get("/link", to: scratch.path("v1"), version: 1)
        #expect(localLinkTarget(scratch.path("v1")) == Array("first target".utf8))

        let restored = try scratch.session.restore("/link", version: 1)
        #expect(restored.number == 4 && restored.restoredFrom == 1 && restored.linkTarget == "first target")
        #expect(try scratch.session.list("/").first?.linkTarget == "first target")
        try scratch.session.get("/link", to: scratch.path("head"))
        #expect(localLinkTarget(scratch.path("head")) == Array("first target".utf8))

        // Restoring the file version makes a file of it again.
        try scratch.session.restore("/link", version: 3)
        try scratch.session.get("/link", to: scratch.path("head"), force: true)
        #expect(localLinkTarget(scratch.path("head")) == nil)
        #expect(try scratch.read(scratch.path("head")) == Data("now a file".utf8))
    }

    /// The files cache knows which version a local link was got as: a link edited from a version
    /// that is no longer the head is a conflict, like an edited file, unless it now says what
    /// the head says.
    @Test func aLinkEditedFromAnOlderVersionIsAConflict() throws {
        let scratch = try Scratch()
        try scratch.session.put(local: try link(scratch, "mine", to: "a"), to: "/l")
        try scratch.session.get("/l", to: scratch.path("copy"))
        try scratch.session.put(local: try link(scratch, "theirs", to: "b"), to: "/l")

        try relink(scratch, "copy", to: "c")
        expectDriveError(.conflict) { try scratch.session.put(local: scratch.path("copy"), to: "/l") }
        try FileManager.default.removeItem(atPath: scratch.path("copy"))
        try scratch.write("copy", Data())
        expectDriveError(.conflict) { try scratch.session.put(local: scratch.path("copy"), to: "/l") }
        #expect(try scratch.session.versionNumbers("/l") == [2, 1])

        // The same target as the head: nothing to refuse, nothing new.
        try FileManager.default.removeItem(atPath: scratch.path("copy"))
        try link(scratch, "copy", to: "b")
        #expect(try scratch.session.put(local: scratch.path("copy"), to: "/l").filesUnchanged == 1)
        try relink(scratch, "copy", to: "c")
        #expect(try scratch.session.put(local: scratch.path("copy"), to: "/l", onStale: .replace).filesStored == 1)
        #expect(try head(scratch, "/l").linkTarget == "c")
    }

    @Test func getReplacesAFileOrALinkThereInOneStepAndNeverWritesThroughIt() throws {
        let scratch = try Scratch()
        try scratch.session.put(local: try link(scratch, "l", to: "the stored target"))
        let outsideFile = try scratch.write("outside/file.txt", Data("not yours".utf8))
        let out = try scratch.makeFolder("out")

        try scratch.write("out/l", Data("precious".utf8))
        expectDriveError(.alreadyExists) { try scratch.session.get("/l", to: out + "/l") }
        #expect(try scratch.read(out + "/l") == Data("precious".utf8))
        try scratch.session.get("/l", to: out + "/l", force: true)
        #expect(localLinkTarget(out + "/l") == Array("the stored target".utf8))

        try FileManager.default.removeItem(atPath: out + "/l")
        try link(scratch, "out/l", to: outsideFile)
        try scratch.session.get("/l", to: out + "/l", force: true)
        #expect(localLinkTarget(out + "/l") == Array("the stored target".utf8))
        #expect(try scratch.read(outsideFile) == Data("not yours".utf8))

        // A folder is never replaced by a link, as by a file.
        try scratch.makeFolder("folder/l")
        expectDriveError(.alreadyExists) { try scratch.session.get("/l", to: scratch.path("folder/l"), force: true) }
        #expect(localIsFolder(scratch.path("folder/l")))
        #expect(try leftovers(scratch.local.path).isEmpty)
    }

    @Test func aTreeWithLinksRoundTripsExactly() throws {
        let scratch = try Scratch()
        try scratch.write("tree/text.txt", textBytes(20_000, seed: 1))
        try scratch.write("tree/random.bin", randomBytes(70_000, seed: 2))
        try scratch.write("tree/empty.txt", Data())
        try scratch.write("tree/deep/er/file.txt", Data("deep".utf8))
        try scratch.makeFolder("tree/empty folder")
        try link(scratch, "tree/relative", to: "deep/er/file.txt")
        try link(scratch, "tree/deep/up", to: "../text.txt")
        try link(scratch, "tree/absolute", to: "/etc/hostname")
        try link(scratch, "tree/dangling", to: "no such thing")
        try link(scratch, "tree/to folder", to: "deep")
        try link(scratch, "tree/사진 링크", to: "../밖의 사진")
        try link(scratch, "tree/odd target", to: "tab\there/new\nline -> arrow")

        try scratch.session.put(local: scratch.path("tree"))
        let copy = scratch.path("copy")
        let report = try scratch.session.get("/tree", to: copy)
        #expect(report.files == 11)
        let original = try localTree(scratch.path("tree"))
        #expect(try localTree(copy) == original)
        #expect(original["relative"] == .link(Array("deep/er/file.txt".utf8)), "the comparison sees links as links")
        #expect(original["empty.txt"] == .file(Data()), "an empty file stays a file")

        // Again over the copy (links already there): replaced, the same tree, nothing left over.
        try scratch.session.get("/tree", to: copy, force: true)
        #expect(try localTree(copy) == original)
        #expect(try leftovers(copy).isEmpty)
    }

    @Test func aFolderGetNeverWritesThroughALinkItMadeOrFound() throws {
        let scratch = try Scratch()
        let outsideFile = try scratch.write("outside/file.txt", Data("not yours".utf8))
        let outside = scratch.path("outside")
        try link(scratch, "tree/escape.txt", to: outsideFile)
        try link(scratch, "tree/escape", to: outside)
        try scratch.write("tree/kept.txt", Data("kept".utf8))
        try scratch.session.put(local: scratch.path("tree"))
        let copy = scratch.path("copy")
        try scratch.session.get("/tree", to: copy)
        #expect(localLinkTarget(copy + "/escape.txt") == Array(outsideFile.utf8))

        // The drive's escape.txt becomes a file, escape a folder with a file: get --force over
        // the links the first get made replaces the file link and refuses to write into the
        // folder link; outside stays as it was either way.
        try scratch.write("replacement", Data("from the drive".utf8))
        try scratch.session.put(local: scratch.path("replacement"), to: "/tree/escape.txt")
        try scratch.session.trash("/tree/escape")
        try scratch.write("inner/file.txt", Data("inner".utf8))
        try scratch.session.put(local: scratch.path("inner"), to: "/tree/escape")
        expectDriveError(.alreadyExists) { try scratch.session.get("/tree", to: copy, force: true) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["file.txt"])
        #expect(try scratch.read(outsideFile) == Data("not yours".utf8))

        try FileManager.default.removeItem(atPath: copy + "/escape")
        try scratch.session.get("/tree", to: copy, force: true)
        #expect(localLinkTarget(copy + "/escape.txt") == nil)
        #expect(try scratch.read(copy + "/escape.txt") == Data("from the drive".utf8))
        #expect(try scratch.read(outsideFile) == Data("not yours".utf8))
        #expect(try localTree(copy + "/escape") == ["file.txt": .file(Data("inner".utf8))])
    }

    @Test func catOfALinkSaysWhereItPoints() throws {
        let scratch = try Scratch()
        try scratch.write("l", Data("a file first".utf8))
        try scratch.session.put(local: scratch.path("l"))
        try FileManager.default.removeItem(atPath: scratch.path("l"))
        try scratch.session.put(local: try link(scratch, "l", to: "../elsewhere"))

        let error = expectDriveError(.invalidArgument) { try scratch.session.stream("/l") { _ in Issue.record("no content") } }
        #expect(error?.reason == "is a link to ../elsewhere")
        #expect(error?.description.contains("\n") == false)
        expectDriveError(.invalidArgument) { _ = try scratch.session.contents("/l") }
        #expect(try scratch.session.contents("/l", version: 1) == Data("a file first".utf8))
    }

    @Test func statsVerifyAndGarbageCollectionTakeLinks() throws {
        let scratch = try Scratch()
        try scratch.write("tree/a.txt", textBytes(10_000, seed: 4))
        try link(scratch, "tree/one", to: "a.txt")
        try link(scratch, "tree/two", to: "/elsewhere")
        try scratch.session.put(local: scratch.path("tree"))
        try scratch.session.trash("/tree/two")
        try scratch.session.purge("/tree/two")
        try scratch.drive.collectGarbage()

        #expect(try scratch.drive.verify().isHealthy)
        let stats = try scratch.session.stats()
        #expect(stats.files == 2 && stats.versions == 2 && stats.logicalBytes == 10_000)
        try scratch.session.get("/tree", to: scratch.path("copy"))
        #expect(localLinkTarget(scratch.path("copy/one")) == Array("a.txt".utf8))
    }

    @Test func aLinkWhoseTargetIsNotUTF8IsSkippedInAFolderAndRefusedAlone() throws {
        let scratch = try Scratch()
        try scratch.write("tree/fine.txt", Data("fine".utf8))
        let odd = scratch.path("tree/odd")
        let bytes: [CChar] = [CChar(bitPattern: 0xFF), 0x41, 0]
        #expect(symlink(bytes, odd) == 0)

        let report = try scratch.session.put(local: scratch.path("tree"))
        #expect(report.skippedPaths == [odd] && report.filesStored == 1)
        expectDriveError(.invalidArgument) { try scratch.session.put(local: odd) }
    }
}
