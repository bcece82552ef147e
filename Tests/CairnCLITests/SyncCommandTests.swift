#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// `cairn device …` and `cairn sync` through the binary: two device folders on one machine.
@Suite struct SyncCommandTests {
    @Test func devicesAreManagedAndReportedInJSON() throws {
        let drive = try TemporaryDrive(user: "alice")
        let added = try drive.succeed("device", "add", "laptop", "--folder", "laptop", "--json").jsonObject()
        JSONOutputTests.expectKeys(added, ["name", "folder", "path", "createdAt", "lastSyncAt", "lastError", "skipped"])
        #expect(added["folder"] as? String == drive.local("laptop").path && added["path"] as? String == "/")
        try drive.succeed("device", "add", "desk", "--folder", "desk", "--path", "/work")
        let again = try drive.run("device", "add", "laptop", "--folder", "other")
        #expect(again.status == ExitStatus.alreadyExists && again.stderrLines.count == 1, "\(again)")
        let nested = try drive.run("device", "add", "inner", "--folder", "laptop/inner")
        #expect(nested.status == ExitStatus.alreadyExists && nested.stderr.contains("overlaps"), "\(nested)")
        let noFolder = try drive.run("device", "add", "x")
        #expect(noFolder.status == ExitStatus.usage, "\(noFolder)")
        #expect(try drive.succeed("device", "list").stdoutLines.map { $0.split(separator: "\t")[0] } == ["desk", "laptop"])

        _ = try drive.write("laptop/한글 메모.txt", "안녕")
        let status = try drive.succeed("device", "status", "laptop", "--json").jsonObject()
        JSONOutputTests.expectKeys(status, ["device", "pendingUp", "pendingDown", "oldestPending", "openConflicts", "skipped"])
        #expect(status["pendingUp"] as? Int == 1 && status["pendingDown"] as? Int == 0, "\(status)")

        let synced = try drive.succeed("sync", "laptop", "--json").jsonObject()
        JSONOutputTests.expectKeys(synced, ["device", "uploaded", "downloaded", "trashedOnDrive", "deletedLocally", "movedOnDrive",
                                            "movedLocally", "foldersMadeOnDrive", "foldersMadeLocally", "deferred", "newBlocks",
                                            "bytesUp", "bytesDown", "conflicts", "skipped"])
        #expect(synced["uploaded"] as? Int == 1)
        #expect(try drive.succeed("cat", "/한글 메모.txt").stdout == "안녕")
        #expect(try drive.succeed("sync", "laptop").stdout == "laptop: up to date\n")
        let all = try drive.succeed("sync", "--json").jsonObjects()
        #expect(all.map { $0["device"] as? String } == ["desk", "laptop"])
        #expect(try drive.succeed("device", "status").stdout.contains("pending: 0 up, 0 down"))

        let unknown = try drive.run("sync", "phone")
        #expect(unknown.status == ExitStatus.notFound && unknown.stderrLines.count == 1 && unknown.stderr.contains("device list"), "\(unknown)")
        try drive.succeed("device", "remove", "laptop")
        #expect(drive.exists("laptop/한글 메모.txt"))
        #expect(try drive.succeed("device", "list").stdoutLines.count == 1)
    }

    @Test func aConflictFromTwoDevicesIsReportedMergedAndSyncedBack() throws {
        let drive = try TemporaryDrive(user: "alice")
        try drive.succeed("device", "add", "a", "--folder", "a")
        try drive.succeed("device", "add", "b", "--folder", "b")
        _ = try drive.write("a/plan.txt", "one\ntwo\nthree\nfour\n")
        try drive.succeed("sync")
        _ = try drive.write("a/plan.txt", "one\ntwo\nthree\nfour, a\n")
        _ = try drive.write("b/plan.txt", "one, b\ntwo\nthree\nfour\n")
        try drive.succeed("sync", "a")
        let b = try drive.run("sync", "b")
        #expect(b.status == 0 && b.stderrLines.count == 1 && b.stderr.contains("kept as a conflict version"), "\(b)")
        #expect(try drive.succeed("conflicts").stdout.contains("from b"))
        try drive.succeed("resolve", "/plan.txt", "--merge")
        try drive.succeed("sync", "a")
        try drive.succeed("sync", "b")
        for side in ["a", "b"] {
            #expect(String(decoding: try drive.read("\(side)/plan.txt"), as: UTF8.self) == "one, b\ntwo\nthree\nfour, a\n")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func watchBringsAnEditToTheOtherDevice() throws {
        let drive = try TemporaryDrive(user: "alice")
        try drive.succeed("device", "add", "a", "--folder", "a")
        try drive.succeed("device", "add", "b", "--folder", "b")
        let watchA = try drive.start(["sync", "--watch", "a", "--json"])
        let watchB = try drive.start(["sync", "--watch", "b"])
        defer {
            watchA.kill()
            watchB.kill()
        }
        // A file still being written: the watch waits for quiet before sending it.
        let file = drive.local("a/notes.txt")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        for line in 0..<5 {
            handle.write(Data("line \(line)\n".utf8))
            Thread.sleep(forTimeInterval: 0.1)
        }
        try handle.close()
        let expected = (0..<5).map { "line \($0)\n" }.joined()
        let start = Date()
        while String(decoding: (try? drive.read("b/notes.txt")) ?? Data(), as: UTF8.self) != expected, Date().timeIntervalSince(start) < 20 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(String(decoding: (try? drive.read("b/notes.txt")) ?? Data(), as: UTF8.self) == expected)
        // Never a half-written version on the drive.
        let log = try drive.succeed("log", "/notes.txt", "--json").jsonObjects()
        #expect(log.count == 1, "\(log)")
        // And back: a deletion on b reaches a.
        try FileManager.default.removeItem(at: drive.local("b/notes.txt"))
        let gone = Date()
        while drive.exists("a/notes.txt"), Date().timeIntervalSince(gone) < 20 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!drive.exists("a/notes.txt"))
        // The file goes during a's round; its report line comes once the round has committed.
        while !watchA.stdoutSoFar.contains(#""deletedLocally":1"#), Date().timeIntervalSince(gone) < 20 { Thread.sleep(forTimeInterval: 0.05) }
        watchA.kill()
        let output = try watchA.wait()
        let rounds = output.stdoutLines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rounds.contains { $0["uploaded"] as? Int == 1 }, "\(output)")
        #expect(rounds.contains { $0["deletedLocally"] as? Int == 1 }, "\(output)")
    }
}
