import Foundation
import Testing

/// Notifications from the command line: each change reaches the inbox before the command that
/// made it exits; messages go out through a sendmail-compatible command (here a script that
/// records each message's Message-ID), once per lease, and survive kill -9 of any process.
@Suite struct NotifyCommandTests {
    /// A store where tester shares /team with bob (who has an email address), and a "sendmail"
    /// that appends each message's Message-ID line to `received.log`, after `delay` seconds.
    final class Team {
        let drive: TemporaryDrive
        let received: URL

        init(delay: Double = 0, delivery: String = "") throws {
            drive = try TemporaryDrive()
            received = drive.root.appendingPathComponent("received.log")
            let script = drive.root.appendingPathComponent("record-mail")
            try writeScript("""
                #!/bin/sh
                message=$(cat)
                sleep \(delay)
                printf '%s\\n' "$message" | grep -i '^Message-ID:' >> '\(received.path)'
                """, to: script)
            let config = drive.root.appendingPathComponent("home/config/cairn/notify.conf")
            try FileManager.default.createDirectory(at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("[email]\ncommand = \(script.path)\n".utf8).write(to: config)
            try drive.succeed("user", "add", "bob", "--email", "bob@example.com")
            try drive.succeed("mkdir", "/team")
            try drive.succeed("share", "/team", "--with", "bob", "--role", "editor")
            // The test's own delivery settings apply from here on (the share's email is sent).
            try Data("[email]\ncommand = \(script.path)\n[delivery]\n\(delivery)\n".utf8).write(to: config)
        }

        /// The Message-ID lines the script received, in order.
        func messageIDs() -> [String] {
            let text = (try? String(contentsOf: received, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").map(String.init)
        }

        /// bob's inbox as JSON objects.
        func bobsInbox() throws -> [[String: Any]] {
            let result = try drive.run(["--user", "bob", "inbox", "--json", "--limit", "10000"])
            result.expectSuccess()
            return try result.jsonObjects()
        }
    }

    @Test func aChangeIsInTheInboxWhenTheCommandReturnsAndItsEmailIsSent() throws {
        let team = try Team()
        _ = try team.drive.write("plan.md", "v1")
        try team.drive.succeed("put", "plan.md", "/team/plan.md")
        let inbox = try team.bobsInbox()
        #expect(inbox.first?["title"] as? String == "tester added plan.md")
        #expect(inbox.first?["body"] as? String == "tester saved version 1 of /shared/team/plan.md.")
        #expect(team.messageIDs().count == 2, "the share's email and the put's, sent before each command exited")
        let status = try team.drive.run(["notify", "status", "--json"])
        let email = try status.jsonObjects().first { $0["channel"] as? String == "email" }
        #expect(email?["delivered"] as? Int == 2 && email?["due"] as? Int == 0)

        let id = try #require(inbox.first?["id"] as? Int)
        try team.drive.succeed("--user", "bob", "inbox", "read", String(id))
        #expect(try team.drive.run(["--user", "bob", "inbox", "--unread", "--json"]).jsonObjects().map { $0["id"] as? Int }.contains(id) == false)
        try team.drive.succeed("--user", "bob", "inbox", "archive", String(id))
        #expect(try team.bobsInbox().count == inbox.count - 1)
    }

    @Test func twoRunnersOnOneStoreSendNoMessageTwice() throws {
        let team = try Team(delay: 0.05, delivery: "cli-wait = 0")
        for index in 0..<30 {
            _ = try team.drive.write("f\(index).txt", "\(index)")
        }
        let put = try team.drive.run(["put", ".", "/team/batch"])
        #expect(put.status == ExitStatus.ok && put.stderr.contains("31 notifications not delivered yet"), "cli-wait 0 sends nothing, and says so: \(put)")
        let runners = try (0..<2).map { _ in try team.drive.start(["notify", "run"]) }
        let deadline = Date().addingTimeInterval(60)
        while team.messageIDs().count < 32 && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        Thread.sleep(forTimeInterval: 0.5)
        runners.forEach { $0.kill() }
        let ids = team.messageIDs()
        #expect(ids.count == 32, "the share, the folder and 30 puts, each once: \(ids.count)")
        #expect(Set(ids).count == ids.count)
    }

    /// kill -9 of a putting command, and of runners, at several moments while messages are
    /// queued and leased: afterwards each event is in the inbox exactly once and every message
    /// was sent at least once. Duplicates are possible (a runner killed after the script got a
    /// message and before its answer was recorded) and are counted.
    @Test func killedMidDeliveryEveryNotificationArrivesOnceInTheInboxAndAtLeastOnceByEmail() throws {
        let team = try Team(delay: 0.02, delivery: "lease = 1\nbackoff-base = 0.05\nbackoff-cap = 0.2")
        var generator = SystemRandomNumberGenerator()
        for round in 0..<6 {
            for index in 0..<5 {
                _ = try team.drive.write("r\(round)/f\(index).txt", "\(round)-\(index)")
            }
            let put = try team.drive.start(["put", "r\(round)", "/team/r\(round)"])
            let runner = try team.drive.start(["notify", "run"])
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.4, using: &generator))
            if round % 2 == 0 { put.kill() }
            runner.kill()
            _ = try put.wait(timeout: 60)
        }
        let finisher = try team.drive.start(["notify", "run"])
        let deadline = Date().addingTimeInterval(60)
        var pending = 1
        while pending > 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.3)
            let status = try team.drive.run(["notify", "status", "--json"]).jsonObjects()
            pending = status.reduce(0) { $0 + ($1["due"] as? Int ?? 0) + ($1["waiting"] as? Int ?? 0) + ($1["leased"] as? Int ?? 0) }
        }
        finisher.kill()
        #expect(pending == 0)
        // bob hears of the share and of everything after it (the /team mkdir came before).
        let journal = Int(try team.drive.sql("SELECT COUNT(*) FROM journal WHERE seq >= (SELECT seq FROM journal WHERE kind = 'share')")) ?? 0
        let inbox = try team.bobsInbox()
        let keys = try team.drive.sql("SELECT key FROM notifyInbox").split(separator: "\n")
        #expect(inbox.count == journal, "one inbox entry per event: \(inbox.count) for \(journal)")
        #expect(Set(keys).count == keys.count)
        let sent = team.messageIDs()
        let queued = Int(try team.drive.sql("SELECT COUNT(*) FROM notifyMessage WHERE channel = 'email'")) ?? -1
        let delivered = Int(try team.drive.sql("SELECT COUNT(*) FROM notifyMessage WHERE state = 'delivered'")) ?? -1
        #expect(delivered == queued && Set(sent).count == queued, "every message sent at least once")
        print("notify crash test: \(journal) events, \(queued) emails, \(sent.count - Set(sent).count) duplicates seen by the receiver")
    }

    @Test func badInputIsOneLineAndLosesNothing() throws {
        let team = try Team()
        let unknownUser = try team.drive.run(["notify", "send", "--to", "nobody", "--title", "t", "--body", "b"])
        #expect(unknownUser.status == ExitStatus.notFound && unknownUser.stderrLines.count == 1)
        #expect(unknownUser.stderr.contains("nobody"))
        let unknownChannel = try team.drive.run(["notify", "send", "--to", "bob", "--title", "t", "--body", "b", "--channel", "fax"])
        #expect(unknownChannel.status == ExitStatus.usage && unknownChannel.stderrLines.count == 1)
        let badToken = try team.drive.run(["user", "token", "add", "bob", "--platform", "ios", "not-a-token"])
        #expect(badToken.status == ExitStatus.invalidArgument && badToken.stderrLines.count == 1)
        #expect(badToken.stderr.contains("64 hex digits"))
        let badQuiet = try team.drive.run(["notify", "settings", "--quiet", "late"])
        #expect(badQuiet.status == ExitStatus.invalidArgument && badQuiet.stderrLines.count == 1)
        let badZone = try team.drive.run(["notify", "settings", "--time-zone", "Mars/Olympus"])
        #expect(badZone.status == ExitStatus.invalidArgument && badZone.stderr.contains("time zone"))
        #expect(try team.drive.sql("SELECT COUNT(*) FROM notifyMessage WHERE key NOT LIKE 'journal:%'") == "0")
    }

    @Test func aSendmailThatFailsLeavesTheMessageQueuedAndLogged() throws {
        let team = try Team()
        let failing = team.drive.root.appendingPathComponent("failing-mail")
        try writeScript("#!/bin/sh\ncat > /dev/null\necho 'mail server said no' >&2\nexit 75\n", to: failing)
        try Data("[email]\ncommand = \(failing.path)\n".utf8)
            .write(to: team.drive.root.appendingPathComponent("home/config/cairn/notify.conf"))
        _ = try team.drive.write("a.txt", "a")
        let put = try team.drive.run(["put", "a.txt", "/team/a.txt"])
        #expect(put.status == ExitStatus.ok, "the change is saved whatever the mail does: \(put)")
        let email = try team.drive.run(["notify", "status", "--json"]).jsonObjects().first { $0["channel"] as? String == "email" }
        #expect(email?["retrying"] as? Int == 1 && email?["delivered"] as? Int == 1)
        let log = try team.drive.run(["notify", "log"]).stdout
        #expect(log.contains("retry") && log.contains("mail server said no"))
    }
}
