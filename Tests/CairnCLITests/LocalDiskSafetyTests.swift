#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Writing to the user's disk never escapes the target folder (DESIGN.md invariant 7), and
/// reading it stores only regular files, folders and links (as links).
@Suite struct LocalDiskSafetyTests {
    @Test func getReplacesASymbolicLinkInsteadOfWritingThroughIt() throws {
        let drive = try TemporaryDrive()
        try drive.write("tree/escape.txt", "from the drive\n")
        try drive.succeed("put", "tree", "/tree")
        let outside = try drive.write("outside/escape.txt", "outside the target\n")
        try FileManager.default.createDirectory(at: drive.local("out"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: drive.local("out/escape.txt"), withDestinationURL: outside)

        try drive.run("get", "/tree", "out").expectFailure(ExitStatus.alreadyExists, mentioning: ["--force"])
        try drive.succeed("get", "/tree", "out", "--force")
        #expect(try drive.read("outside/escape.txt") == Data("outside the target\n".utf8))
        let kind = try FileManager.default.attributesOfItem(atPath: drive.local("out/escape.txt").path)[.type] as? FileAttributeType
        #expect(kind == .typeRegular)
        #expect(try drive.read("out/escape.txt") == Data("from the drive\n".utf8))
    }

    @Test func getRefusesAFolderThatIsASymbolicLink() throws {
        let drive = try TemporaryDrive()
        try drive.write("tree/sub/f.txt", "f\n")
        try drive.succeed("put", "tree", "/tree")
        try FileManager.default.createDirectory(at: drive.local("outside"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: drive.local("out"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: drive.local("out/sub"), withDestinationURL: drive.local("outside"))
        try FileManager.default.createSymbolicLink(at: drive.local("linked"), withDestinationURL: drive.local("outside"))

        try drive.run("get", "/tree", "out", "--force").expectFailure(ExitStatus.alreadyExists, mentioning: ["out/sub"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: drive.local("outside").path).isEmpty)
    }

    /// LOCAL itself a link: `--force` replaces the link (or refuses, for a folder), never writes
    /// through it to where it points.
    @Test func getForceDoesNotWriteThroughALinkNamedAsLocal() throws {
        let drive = try TemporaryDrive()
        try drive.write("tree/sub/f.txt", "f\n")
        try drive.write("a.txt", "from the drive\n")
        try drive.succeed("put", "tree", "/tree")
        try drive.succeed("put", "a.txt", "/a.txt")
        let outsideFile = try drive.write("outside/file.txt", "outside the target\n")
        try FileManager.default.createDirectory(at: drive.local("outside/folder"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: drive.local("linked-folder"), withDestinationURL: drive.local("outside/folder"))
        try FileManager.default.createSymbolicLink(at: drive.local("linked-file.txt"), withDestinationURL: outsideFile)

        _ = try drive.run("get", "/tree", "linked-folder", "--force")
        _ = try drive.run("get", "/a.txt", "linked-file.txt", "--force")
        #expect(try FileManager.default.contentsOfDirectory(atPath: drive.local("outside/folder").path).isEmpty)
        #expect(try drive.read("outside/file.txt") == Data("outside the target\n".utf8))
    }

    /// A link is stored as a link (SymbolicLinkCommandTests); a pipe is skipped with one line.
    @Test func putSkipsAPipeWithAWarningLineAndStoresTheLink() throws {
        let drive = try TemporaryDrive()
        try drive.write("tree/real.txt", "real\n")
        let target = try drive.write("elsewhere.txt", "not stored\n")
        try FileManager.default.createSymbolicLink(at: drive.local("tree/link.txt"), withDestinationURL: target)
        #expect(mkfifo(drive.local("tree/pipe").path, 0o644) == 0)

        let put = try drive.run("put", "tree", "/tree")
        #expect(put.status == ExitStatus.ok && put.stdout.hasPrefix("/tree: 2 stored"), "\(put)")
        #expect(put.stderrLines.count == 1 && put.stderr.hasPrefix("cairn: put: skipped ") && put.stderr.contains("pipe"), "\(put)")
        #expect(try drive.succeed("ls", "/tree").stdout == "link.txt -> \(target.path)\nreal.txt\n")
    }

    /// macOS hands out decomposed (NFD) Hangul; the drive stores names composed (NFC), so both
    /// spellings reach the same file.
    @Test func decomposedHangulReachesTheComposedName() throws {
        let drive = try TemporaryDrive()
        try drive.write("a.txt", "가나다\n")
        let composed = "한글 문서.txt"
        let decomposed = composed.decomposedStringWithCanonicalMapping
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        try drive.succeed("put", "a.txt", "/" + decomposed)
        #expect(Array(try drive.succeed("ls").stdout.utf8) == Array((composed + "\n").utf8))
        #expect(try drive.succeed("cat", "/" + composed).stdout == "가나다\n")
        #expect(try drive.succeed("cat", "/" + decomposed).stdout == "가나다\n")
    }
}
