import Foundation
import Testing

/// Symbolic links through the command line: put stores them as links, ls shows `name -> target`
/// (escaped like names; exact in `--json`), cat refuses them in one line, get makes them again.
@Suite struct SymbolicLinkCommandTests {
    /// A tree with a file, a relative link to it, a link to a folder outside and a dangling
    /// link with a Korean name and a control character in its target.
    func makeTree(_ drive: TemporaryDrive) throws {
        try drive.write("tree/보고서.txt", "분기 보고서\n")
        let outside = try drive.write("outside/secret.txt", "outside\n").deletingLastPathComponent()
        try FileManager.default.createSymbolicLink(atPath: drive.local("tree/latest").path, withDestinationPath: "보고서.txt")
        try FileManager.default.createSymbolicLink(atPath: drive.local("tree/elsewhere").path, withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: drive.local("tree/깨진 링크").path, withDestinationPath: "없는\u{1B}[31m곳")
    }

    @Test func lsShowsNameArrowTargetAndJSONHasLinkTarget() throws {
        let drive = try TemporaryDrive()
        try makeTree(drive)
        let put = try drive.succeed("put", "tree", "/tree")
        #expect(put.stdout.hasPrefix("/tree: 4 stored"), "\(put)")

        #expect(try drive.succeed("ls", "/tree").stdoutLines == [
            "elsewhere -> " + drive.local("outside").path, "latest -> 보고서.txt", "깨진 링크 -> 없는\\e[31m곳", "보고서.txt",
        ])
        let long = try drive.succeed("ls", "-l", "/tree").stdoutLines
        #expect(long.count == 4 && long[1].hasPrefix("link  ") && long[1].hasSuffix("  latest -> 보고서.txt"), "\(long)")
        #expect(long[3].hasPrefix("file  "), "\(long)")

        let entries = try drive.succeed("ls", "--json", "/tree").jsonObjects()
        let targets = Dictionary(uniqueKeysWithValues: entries.map { ($0["name"] as? String ?? "?", $0["linkTarget"]) })
        #expect(targets["latest"] as? String == "보고서.txt")
        #expect(targets["깨진 링크"] as? String == "없는\u{1B}[31m곳", "--json is exact")
        #expect(targets["보고서.txt"] is NSNull, "null for a file, not left out")
        #expect(entries.allSatisfy { $0["kind"] as? String == "file" })
        #expect(entries.first { $0["name"] as? String == "latest" }?["size"] as? Int == 0)
    }

    @Test func catOfALinkExitsTwoWithOneLineNamingTheTarget() throws {
        let drive = try TemporaryDrive()
        try makeTree(drive)
        try drive.succeed("put", "tree", "/tree")

        try drive.run("cat", "/tree/latest").expectFailure(ExitStatus.invalidArgument, mentioning: ["/tree/latest", "is a link to 보고서.txt"])
        // The escape in the target is shown escaped: the error stays one line and drives nothing.
        try drive.run("cat", "/tree/깨진 링크").expectFailure(ExitStatus.invalidArgument, mentioning: ["is a link to 없는\\e[31m곳"])
        #expect(try drive.succeed("cat", "/tree/보고서.txt").stdout == "분기 보고서\n")
    }

    @Test func putAndGetRoundTripLinksAsLinks() throws {
        let drive = try TemporaryDrive()
        try makeTree(drive)
        try drive.succeed("put", "tree", "/tree")
        try drive.succeed("get", "/tree", "copy")
        for name in ["latest", "elsewhere", "깨진 링크"] {
            let original = try FileManager.default.destinationOfSymbolicLink(atPath: drive.local("tree/" + name).path)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: drive.local("copy/" + name).path) == original)
        }
        #expect(try drive.read("copy/latest") == Data("분기 보고서\n".utf8), "the relative link resolves in the copy")
        #expect(try FileManager.default.contentsOfDirectory(atPath: drive.local("copy/elsewhere").path) == ["secret.txt"],
                "the outside folder is linked to, not copied")
        #expect(try FileManager.default.contentsOfDirectory(atPath: drive.local("copy").path).sorted()
                == ["elsewhere", "latest", "깨진 링크", "보고서.txt"])

        // A link named alone; a changed target is a new version, listed in the log.
        try drive.succeed("put", "tree/latest", "/latest")
        try FileManager.default.removeItem(at: drive.local("tree/latest"))
        try FileManager.default.createSymbolicLink(atPath: drive.local("tree/latest").path, withDestinationPath: "다음 보고서.txt")
        #expect(try drive.succeed("put", "tree/latest", "/latest").stdout.hasPrefix("/latest: 1 stored"))
        let log = try drive.succeed("log", "/latest").stdoutLines
        #expect(log.count == 2 && log[0].contains("link -> 다음 보고서.txt") && log[1].contains("link -> 보고서.txt"), "\(log)")
        let versions = try drive.succeed("log", "--json", "/latest").jsonObjects()
        #expect(versions.map { $0["linkTarget"] as? String } == ["다음 보고서.txt", "보고서.txt"])

        try drive.succeed("restore", "/latest", "--version", "1")
        try drive.succeed("get", "/latest", "restored")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: drive.local("restored").path) == "보고서.txt")
        try drive.succeed("verify")
    }
}
