import Foundation
import Testing

/// put --keep-conflict, conflicts and resolve through the binary: Alice and Bob both edit
/// version 1 of a shared file; Alice's edit lands first, Bob's is kept as a conflict.
@Suite struct ConflictCommandTests {
    /// The race, up to Bob's put of his stale edit (not yet made).
    func race(original: String = "one\ntwo\n", alices: String = "one\ntwo, alice\n", bobs: String = "one, bob\ntwo\n") throws -> TemporaryDrive {
        let drive = try TemporaryDrive(user: "alice")
        try drive.succeed("user", "add", "bob")
        try drive.write("alice/보고서.txt", original)
        try drive.succeed("put", "alice/보고서.txt", "/보고서.txt")
        try drive.succeed("share", "/보고서.txt", "--with", "bob", "--role", "editor")
        try FileManager.default.createDirectory(at: drive.local("bob"), withIntermediateDirectories: true)
        try drive.succeed("--user", "bob", "get", "/shared/보고서.txt", "bob/보고서.txt")
        try drive.write("alice/보고서.txt", alices)
        try drive.succeed("put", "alice/보고서.txt", "/보고서.txt")
        try drive.write("bob/보고서.txt", bobs)
        return drive
    }

    @Test func aStaleEditIsRefusedOrKeptAndListed() throws {
        let drive = try race()
        let refused = try drive.run("--user", "bob", "put", "bob/보고서.txt", "/shared/보고서.txt")
        #expect(refused.status == 5 && refused.stderrLines.count == 1, "\(refused)")
        #expect(try drive.succeed("conflicts").stdout == "no open conflicts\n")

        let kept = try drive.run("--user", "bob", "put", "bob/보고서.txt", "/shared/보고서.txt", "--keep-conflict")
        #expect(kept.status == 0, "\(kept)")
        #expect(kept.stdout.contains("1 kept as conflicts"), "\(kept)")
        #expect(kept.stderrLines.count == 1 && kept.stderr.contains("cairn resolve /shared/보고서.txt"), "\(kept)")
        #expect(try drive.succeed("cat", "/보고서.txt").stdout == "one\ntwo, alice\n")

        let lines = try drive.succeed("conflicts").stdoutLines
        #expect(lines.count == 1 && lines[0].hasPrefix("/보고서.txt  v3 by bob (edited from v1) vs head v2"), "\(lines)")
        let json = try drive.succeed("--user", "bob", "conflicts", "--json").jsonObjects()
        JSONOutputTests.expectKeys(json[0], ["id", "path", "version", "head", "base", "author", "device", "createdAt", "open",
                                             "resolution", "resolvedAt", "resolvedBy", "result", "copyPath"])
        #expect(json[0]["path"] as? String == "/shared/보고서.txt" && json[0]["open"] as? Bool == true)
        #expect(json[0]["device"] is NSNull)
        let log = try drive.succeed("log", "/보고서.txt").stdoutLines
        #expect(log[0].hasPrefix("v3") && log[0].contains("conflict (edited from v1)") && !log[0].contains("(head)"), "\(log)")

        let both = try drive.run("put", "alice/보고서.txt", "/보고서.txt", "--keep-conflict", "--force")
        #expect(both.status == 64 && both.stderrLines.count == 1, "\(both)")
    }

    @Test func resolveEachWay() throws {
        let drive = try race()
        try keep(drive)
        let mine = try drive.succeed("resolve", "/보고서.txt", "--keep", "mine")
        #expect(mine.stdout == "/보고서.txt: kept v3 (mine) as version 4\n", "\(mine)")
        #expect(try drive.succeed("cat", "/보고서.txt").stdout == "one, bob\ntwo\n")
        #expect(try drive.succeed("log", "/보고서.txt").stdoutLines[0].contains("resolves conflict v3"))
        #expect(try drive.succeed("conflicts").stdout == "no open conflicts\n")
        #expect(try drive.succeed("conflicts", "--all").stdout.contains("resolved: mine (v4) by alice"))
        let none = try drive.run("resolve", "/보고서.txt", "--keep", "mine")
        #expect(none.status == 3 && none.stderrLines.count == 1 && none.stderr.contains("no open conflict"), "\(none)")

        // Bob's copy is v3 (as he put it); Alice's v5 lands first again, then Bob edits v3.
        try drive.write("alice/보고서.txt", "alice again\n")
        try drive.succeed("put", "alice/보고서.txt", "/보고서.txt", "--force")
        try drive.write("bob/보고서.txt", "bob again\n")
        try keep(drive)
        let both = try drive.succeed("--user", "bob", "resolve", "/shared/보고서.txt", "--keep", "both", "--json").jsonObject()
        #expect(both["resolution"] as? String == "both")
        #expect(both["copyPath"] as? String == "/shared/보고서 (conflict v6 by bob).txt", "the copy is shared as the file is")
        #expect(try drive.succeed("--user", "bob", "cat", "/shared/보고서.txt").stdout == "alice again\n")
        #expect(try drive.succeed("cat", "/보고서 (conflict v6 by bob).txt").stdout == "bob again\n")
        #expect(try drive.succeed("--user", "bob", "cat", "/shared/보고서 (conflict v6 by bob).txt").stdout == "bob again\n")

        let bad = try drive.run("resolve", "/보고서.txt", "--keep", "yours")
        #expect(bad.status == 64 && bad.stderrLines.count == 1, "\(bad)")
    }

    /// Bob puts his edit with --keep-conflict: exit 0, one line on stderr naming the remedy.
    func keep(_ drive: TemporaryDrive) throws {
        let kept = try drive.run("--user", "bob", "put", "bob/보고서.txt", "/shared/보고서.txt", "--keep-conflict")
        #expect(kept.status == 0 && kept.stderrLines.count == 1, "\(kept)")
    }

    @Test func mergeTakesEachSidesChangeOrRefusesOverlaps() throws {
        // Alice changed line 3, Bob line 1: no overlap (changes to adjacent lines would conflict).
        let drive = try race(original: "one\nmiddle\ntwo\n", alices: "one\nmiddle\ntwo, alice\n", bobs: "one, bob\nmiddle\ntwo\n")
        try keep(drive)
        let merged = try drive.succeed("resolve", "/보고서.txt", "--merge")
        #expect(merged.stdout == "/보고서.txt: merged v3 (mine) into the head as version 4\n", "\(merged)")
        #expect(try drive.succeed("cat", "/보고서.txt").stdout == "one, bob\nmiddle\ntwo, alice\n")

        // Both change line 1 from version 4: a hunk for a person, nothing written.
        try FileManager.default.removeItem(at: drive.local("bob/보고서.txt"))
        try drive.succeed("--user", "bob", "get", "/shared/보고서.txt", "bob/보고서.txt")
        try drive.write("alice/other.txt", "alice's line\nmiddle\ntwo, alice\n")
        try drive.succeed("put", "alice/other.txt", "/보고서.txt")
        try drive.write("bob/보고서.txt", "bob's line\nmiddle\ntwo, alice\n")
        try keep(drive)
        let refused = try drive.run("resolve", "/보고서.txt", "--merge")
        #expect(refused.status == 5 && refused.stderrLines.count == 1 && refused.stderr.contains("1 hunk changed on both sides"), "\(refused)")
        #expect(try drive.succeed("conflicts").stdoutLines.count == 1)
        let neither = try drive.run("resolve", "/보고서.txt")
        #expect(neither.status == 64, "\(neither)")
    }
}
