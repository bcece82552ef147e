import Foundation
import Testing

/// The live inbox of the full-screen drive, across processes: the built `cairn` open in a tmux
/// pane as alice, bob editing her shared file with the CLI in processes of his own. Nothing is
/// typed in the pane until the badge has risen.
@Suite struct TUIInboxEndToEndTests {
    @Test func anotherUsersEditRaisesTheBadgeLiveAndOpensAtItsVersion() throws {
        let drive = try UIStore.empty(users: ["alice", "bob"])
        try drive.write("report.txt", "first\n")
        try drive.succeed(["put", "report.txt", "/report.txt"], as: "alice")
        try drive.succeed(["share", "/report.txt", "--with", "bob", "--role", "editor"], as: "alice")

        let session = try drive.open(as: "alice")
        try session.waitForScreen("alice's drive, nothing unread") { $0[0].text.hasSuffix("inbox 0") && Listing($0)?.names == ["report.txt"] }

        // Each edit, by another process: the badge rises within about a second, no key pressed.
        for (version, text) in [(2, "second\n"), (3, "third\n")] {
            try drive.write("report.txt", text)
            try drive.succeed(["put", "report.txt", "/shared/report.txt"], as: "bob")
            try session.waitForScreen("the badge at \(version - 1) and the news in the status line, no key pressed", timeout: 2) {
                $0[0].text.hasSuffix("inbox \(version - 1)") && $0[28].text.contains("bob edited report.txt")
            }
        }

        try session.sendKeys("8")
        var screen = try session.waitForScreen("two notifications in the Inbox") {
            $0[2].text.contains("Inbox") && $0.lines.filter { $0.text.contains("bob edited report.txt") }.count == 2
        }
        #expect(screen.lines.filter { $0.text.hasPrefix("│ • ") && $0.text.contains("bob edited report.txt") }.count == 2,
                "both are marked unread: \(screen)")

        // The older one opens report.txt at version 2, not at the head, and is read from then on.
        try session.sendKeys("j", "Enter")
        screen = try session.waitForScreen("report.txt's versions at version 2") {
            $0.raw.contains("Versions of /report.txt") && $0.raw.contains("│ version   2 ") && $0[0].text.hasSuffix("inbox 1")
        }
        #expect(TUIEndToEndTests.versionRows(screen).map(\.number) == [3, 2, 1], "\(screen)")

        try session.sendKeys("q")
        #expect(try session.waitForExit() == 0)
        let inbox = try drive.cli(["inbox", "--json"], as: "alice").jsonObjects()
        #expect(inbox.map { $0["read"] as? Bool } == [false, true], "the CLI sees what Enter marked: \(inbox)")
    }
}
