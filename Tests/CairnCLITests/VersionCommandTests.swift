import Foundation
import Testing

/// log, restore, pin and unpin through the command line (issue 2: versions are immutable;
/// restore makes a new head; the cap drops the oldest unpinned versions, never pinned ones).
@Suite struct VersionCommandTests {
    @Test func changeLogRestorePinAndUnpin() throws {
        let drive = try TemporaryDrive()
        try drive.write("일기.txt", "one\n")
        try drive.succeed("put", "일기.txt")
        #expect(try drive.succeed("put", "일기.txt").stdout.hasPrefix("/일기.txt: 0 stored, 1 unchanged"))
        try drive.write("일기.txt", "two!\n")
        try drive.succeed("put", "일기.txt")

        let log = try drive.succeed("log", "/일기.txt").stdoutLines
        #expect(log.count == 2)
        #expect(log[0].hasPrefix("v2") && log[0].contains("tester") && log[0].hasSuffix("(head)"), "\(log)")
        #expect(log[1].hasPrefix("v1") && !log[1].contains("(head)"), "\(log)")

        let restored = try drive.succeed("restore", "/일기.txt", "--version", "1")
        #expect(restored.stdout == "/일기.txt: version 3 restored from version 1\n")
        let versions = try drive.succeed("log", "--json", "/일기.txt").jsonObjects()
        #expect(versions.map { $0["version"] as? Int } == [3, 2, 1])
        #expect(versions[0]["restoredFrom"] as? Int == 1 && versions[0]["head"] as? Bool == true)
        #expect(versions[0]["digest"] as? String == versions[2]["digest"] as? String)
        #expect(versions[0]["newBlocks"] as? Int == 0, "a restore stores nothing new: \(versions[0])")

        try drive.succeed("get", "/일기.txt", "head.txt")
        try drive.succeed("get", "/일기.txt", "v2.txt", "--version", "2")
        #expect(try drive.read("head.txt") == Data("one\n".utf8))
        #expect(try drive.read("v2.txt") == Data("two!\n".utf8))

        #expect(try drive.succeed("pin", "/일기.txt", "--version", "2").stdout.isEmpty)
        #expect(try pinned(drive, "/일기.txt") == [2])
        #expect(try drive.succeed("log", "/일기.txt").stdoutLines[1].contains("pinned"))
        try drive.succeed("unpin", "/일기.txt", "--version", "2")
        #expect(try pinned(drive, "/일기.txt").isEmpty)
    }

    @Test func versionCapDropsTheOldestUnpinned() throws {
        let drive = try TemporaryDrive(initArguments: ["--version-cap", "3"])
        try drive.write("draft.txt", "draft 1\n")
        try drive.succeed("put", "draft.txt")
        try drive.succeed("pin", "/draft.txt", "--version", "1")
        for number in 2...6 {
            try drive.write("draft.txt", "draft \(number)\n")
            try drive.succeed("put", "draft.txt")
        }
        let versions = try drive.succeed("log", "--json", "/draft.txt").jsonObjects()
        #expect(versions.map { $0["version"] as? Int } == [6, 5, 4, 1])
        #expect(try pinned(drive, "/draft.txt") == [1])
        #expect(try drive.succeed("cat", "/draft.txt", "--version", "1").stdout == "draft 1\n")
        try drive.run("cat", "/draft.txt", "--version", "2").expectFailure(ExitStatus.notFound, mentioning: ["/draft.txt"])
        try drive.succeed("gc")
        try drive.succeed("verify")
    }

    func pinned(_ drive: TemporaryDrive, _ path: String) throws -> [Int] {
        try drive.succeed("log", "--json", path).jsonObjects().filter { $0["pinned"] as? Bool == true }.compactMap { $0["version"] as? Int }
    }
}
