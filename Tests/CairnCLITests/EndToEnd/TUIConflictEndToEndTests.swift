import Foundation
import Testing

/// Conflicts in the full-screen drive, at a real terminal: the built `cairn` in a tmux pane.
/// Alice and Bob each hold a local copy of version 1 of a file; Alice's edit lands first (v2),
/// Bob's is kept as conflict v3. Both changed the same two lines; Bob also changed one of his own.
/// Each test resolves it hunk by hunk with keys, then asks the CLI what the store holds.
@Suite struct TUIConflictEndToEndTests {
    static let base = "제목\nalpha\nbeta\ngamma\ndelta\nepsilon\n"
    static let alices = "제목\nalpha, alice\nbeta\ngamma\ndelta\nepsilon, alice\n"
    static let bobs = "제목\nalpha, 밥\nbeta\n감마, bob\ndelta\nepsilon, bob\n"

    /// The store with the conflict on /report.txt (Alice's), /shared/report.txt for Bob.
    static func conflict() throws -> UIStore {
        let drive = try UIStore.empty(users: ["alice", "bob"])
        try drive.write("alice/report.txt", base)
        try drive.succeed(["put", "alice/report.txt", "/report.txt"], as: "alice")
        try drive.succeed(["share", "/report.txt", "--with", "bob", "--role", "editor"], as: "alice")
        try FileManager.default.createDirectory(at: drive.work.appendingPathComponent("bob"), withIntermediateDirectories: true)
        try drive.succeed(["get", "/shared/report.txt", "bob/report.txt"], as: "bob")
        try drive.write("alice/report.txt", alices)
        try drive.succeed(["put", "alice/report.txt", "/report.txt"], as: "alice")
        try drive.write("bob/report.txt", bobs)
        try drive.succeed(["put", "bob/report.txt", "/shared/report.txt", "--keep-conflict"], as: "bob")
        let listed = try drive.succeed(["conflicts"], as: "alice").stdout
        guard listed.hasPrefix("/report.txt  v3 by bob (edited from v1) vs head v2") else {
            throw UIStore.SetupFailed(description: "no conflict to resolve: \(listed)")
        }
        return drive
    }

    @Test func theConflictsViewResolvesHunkByHunkInTheMergeScreen() throws {
        let drive = try Self.conflict()
        let session = try drive.open(as: "alice")
        try session.waitFor(screen: "report.txt")

        try session.sendKeys("9")
        var screen = try session.waitForScreen("the open conflict listed") {
            $0[1].text.contains("9 Conflicts") && $0.raw.contains("/report.txt") && $0.raw.contains("v3 vs v2")
                && $0.raw.contains("1 open")
        }
        #expect(screen.lines.contains { $0.text.contains("/report.txt") && $0.text.contains(" v1 ") && $0.text.contains("bob") },
                "path, base and author on the row: \(screen)")

        try session.sendKeys("Enter")
        screen = try session.waitForScreen("the merge screen on the first hunk") {
            $0.raw.contains("▶ Hunk 1 of 2 · changed on both sides") && $0.raw.contains("hunk 1 of 2 · 2 left")
        }
        for text in ["  감마, bob", "< alpha, 밥", "| alpha", "> alpha, alice", "┄ mine (v3 by bob)", "┄ theirs (head v2)"] {
            #expect(screen.raw.contains(text), "\(text.debugDescription) on the merge screen: \(screen)")
        }
        #expect(screen.lines.contains { $0.text.hasPrefix("│ > alpha, alice") && $0.width == 100 && $0.text.hasSuffix("│") },
                "the frame stays whole: \(screen)")

        try session.sendKeys("w")
        try session.waitFor(screen: "2 hunks still need a choice")
        try session.sendKeys("m")
        try session.waitFor(screen: "Hunk 1: took mine · 1 hunk left")
        try session.sendKeys("u")
        try session.waitFor(screen: "Undone: hunk 1 · 2 hunks left")
        try session.sendKeys("b")
        try session.waitFor(screen: "▶ Hunk 2 of 2 · changed on both sides")
        try session.sendKeys("t")
        screen = try session.waitForScreen("every hunk decided") { $0.raw.contains("all decided · w writes") }
        #expect(screen.raw.contains("= alpha, 밥") && screen.raw.contains("= alpha, alice") && screen.raw.contains("= epsilon, alice"),
                "\(screen)")

        try session.sendKeys("w")
        try session.waitForScreen("the merge written and the list empty") {
            $0.raw.contains("Merged v3 (mine) into /report.txt: version 4 is the head") && $0.raw.contains("No open conflicts")
        }
        try session.sendKeys("q")
        #expect(try session.waitForExit() == 0)

        #expect(try drive.succeed(["cat", "/report.txt"], as: "alice").stdout
                    == "제목\nalpha, 밥\nalpha, alice\nbeta\n감마, bob\ndelta\nepsilon, alice\n")
        #expect(try drive.succeed(["conflicts"], as: "alice").stdout == "no open conflicts\n")
        let log = try drive.succeed(["log", "/report.txt"], as: "alice").stdoutLines
        #expect(log.first?.hasPrefix("v4") == true && log.first?.contains("resolves conflict v3") == true, "\(log)")
        #expect(try drive.succeed(["conflicts", "--all"], as: "alice").stdout.contains("resolved: merge (v4) by alice"))
    }

    @Test func resolveMergeOnATerminalOpensTheMergeScreen() throws {
        let drive = try Self.conflict()
        // An editor that writes one line over the hunk, as a person would.
        let editor = drive.work.appendingPathComponent("editor.sh")
        try writeScript("#!/bin/sh\nprintf 'alpha, 둘 다\\n' > \"$1\"\n", to: editor)
        var environment = drive.environment
        environment["VISUAL"] = ""
        environment["EDITOR"] = editor.path
        let command = ["--store", drive.store.path, "--user", "alice", "resolve", "/report.txt", "--merge"]

        // Left without writing: exit 5, the conflict stays open.
        var session = try TmuxSession.cairn(command, environment: environment, directory: drive.work)
        try session.waitFor(screen: "▶ Hunk 1 of 2 · changed on both sides")
        try session.sendKeys("q")
        #expect(try session.waitForExit() == 5)
        #expect(try drive.succeed(["conflicts"], as: "alice").stdoutLines.count == 1)

        session = try TmuxSession.cairn(command, environment: environment, directory: drive.work)
        try session.waitFor(screen: "▶ Hunk 1 of 2 · changed on both sides")
        try session.sendKeys("e")
        try session.waitFor(screen: "Hunk 1 edited · 1 hunk left")
        try session.waitFor(screen: "= alpha, 둘 다")
        try session.sendKeys("t", "w")
        #expect(try session.waitForExit() == 0)

        #expect(try drive.succeed(["cat", "/report.txt"], as: "alice").stdout
                    == "제목\nalpha, 둘 다\nbeta\n감마, bob\ndelta\nepsilon, alice\n")
        #expect(try drive.succeed(["conflicts"], as: "alice").stdout == "no open conflicts\n")
        // Not a terminal: exit 5 as before, for scripts (ConflictCommandTests checks the rest).
    }

    /// A conflict made from two device folders of Alice's: resolved hunk by hunk in the merge
    /// screen, and after the next sync both folders hold the merged file; the Devices view and
    /// the top bar's sync slot show it.
    @Test func aConflictFromTwoDevicesIsMergedOnScreenAndReachesBoth() throws {
        let drive = try UIStore.empty(users: ["alice"])
        try drive.succeed(["device", "add", "laptop", "--folder", "laptop"], as: "alice")
        try drive.succeed(["device", "add", "desk", "--folder", "desk"], as: "alice")
        try drive.write("laptop/report.txt", Self.base)
        try drive.succeed(["sync", "laptop"], as: "alice")
        try drive.succeed(["sync", "desk"], as: "alice")
        try drive.write("laptop/report.txt", Self.alices)
        try drive.write("desk/report.txt", Self.bobs)
        try drive.succeed(["sync", "laptop"], as: "alice")
        let desk = try drive.cli(["sync", "desk"], as: "alice")
        #expect(desk.status == 0 && desk.stderr.contains("kept as a conflict version"), "\(desk)")

        let session = try drive.open(as: "alice")
        try session.waitFor(screen: "report.txt")
        try session.sendKeys("0")
        try session.waitForScreen("both devices listed") { $0.raw.contains("desk") && $0.raw.contains("laptop") }
        try session.sendKeys("9")
        try session.waitForScreen("the conflict from desk") { $0.raw.contains("/report.txt") && $0.raw.contains("v3 vs v2") }
        try session.sendKeys("Enter")
        try session.waitFor(screen: "▶ Hunk 1 of 2 · changed on both sides")
        try session.sendKeys("m")
        try session.waitFor(screen: "▶ Hunk 2 of 2 · changed on both sides")
        try session.sendKeys("t")
        try session.waitFor(screen: "all decided · w writes")
        try session.sendKeys("w")
        try session.waitFor(screen: "No open conflicts")
        // Sync both from the Devices view: S, then the slot settles on ✓.
        try session.sendKeys("0")
        try session.waitFor(screen: "desk")
        try session.sendKeys("S")
        try session.waitForScreen("both synced") { $0[0].text.contains("sync ✓") }
        try session.sendKeys("q")
        #expect(try session.waitForExit() == 0)

        let merged = "제목\nalpha, 밥\nbeta\n감마, bob\ndelta\nepsilon, alice\n"
        for side in ["laptop", "desk"] {
            #expect(String(decoding: try Data(contentsOf: drive.work.appendingPathComponent("\(side)/report.txt")), as: UTF8.self) == merged,
                    "\(side) has the merged file")
        }
    }
}
