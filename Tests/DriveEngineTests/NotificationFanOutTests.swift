@testable import DriveEngine
import Foundation
import GRDB
import Notifier
import Testing

/// The journal is the outbox: fan-out turns each entry into notifications for everyone who can
/// see the item but the actor, each with the path they see, exactly once.
@Suite struct NotificationFanOutTests {
    /// alice shares /team with bob (editor) and /team/docs with carol (viewer); bob's session.
    func team(_ scratch: Scratch) throws -> (bob: DriveSession, carol: DriveSession) {
        let bob = try scratch.session(for: "bob"), carol = try scratch.session(for: "carol")
        try scratch.session.makeFolder("/team/docs", parents: true)
        try scratch.session.share("/team", with: "bob", role: .editor)
        try scratch.session.share("/team/docs", with: "carol", role: .viewer)
        try scratch.drive.fanOutNotifications()
        return (bob, carol)
    }

    func inbox(_ scratch: Scratch, _ user: DriveSession) throws -> [InboxEntry] {
        try scratch.drive.notifier.inbox(for: user.user.id!)
    }

    @Test func everyoneWhoSeesTheItemButTheActorHearsOfAnEditWithTheirOwnPath() throws {
        let scratch = try Scratch()
        let (bob, carol) = try team(scratch)
        let before = (alice: try inbox(scratch, scratch.session).count, bob: try inbox(scratch, bob).count, carol: try inbox(scratch, carol).count)
        try bob.put(local: try scratch.write("r.md", Data("report".utf8)), to: "/shared/team/docs/보고서.md")
        let report = try scratch.drive.fanOutNotifications()
        #expect(report.entries == 1 && report.inboxRows == 2)

        let alice = try inbox(scratch, scratch.session)
        #expect(alice.count == before.alice + 1)
        #expect(alice[0].title == "bob added 보고서.md")
        #expect(alice[0].body == "bob saved version 1 of /team/docs/보고서.md.")
        let item = try scratch.session.item(at: "/team/docs/보고서.md")
        #expect(alice[0].link == "cairn:item/\(item.id!)/version/1")
        #expect(try inbox(scratch, carol)[0].body == "bob saved version 1 of /shared/docs/보고서.md.")
        #expect(try inbox(scratch, bob).count == before.bob, "the actor is not told of their own change")
        // Email goes where there is an address: alice has one, carol none.
        #expect(try scratch.query { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM notifyMessage WHERE channel = 'email'") } == 1)
    }

    @Test func eachEntryIsFannedOutOnceWhoeverRunsItAndHowOften() throws {
        let scratch = try Scratch()
        let (bob, _) = try team(scratch)
        for round in 0..<20 {
            try bob.put(local: try scratch.write("f\(round)", Data("v\(round)".utf8)), to: "/shared/team/f\(round).txt")
        }
        // Two drives on one store (as two processes would be), fanning out from four threads.
        let other = try Drive.open(at: scratch.store, create: false)
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            _ = try? (index % 2 == 0 ? scratch.drive : other).fanOutNotifications(batch: 3)
        }
        let keys = try scratch.query { try String.fetchAll($0, sql: "SELECT key FROM notifyInbox WHERE recipientId = ?", arguments: [scratch.session.user.id!]) }
        #expect(keys.count == Set(keys).count)
        #expect(keys.filter { $0.hasPrefix("journal:") }.count >= 20)
        #expect(try scratch.drive.fanOutNotifications().entries == 0)
        #expect(try scratch.drive.journalCursors()["notifier"] == (try scratch.drive.latestSequence()))
    }

    /// Without shares, a fan-out reads only the entries that tell someone (a put of a large tree
    /// journals every file, which tells nobody); the cursor still passes every entry, in batches.
    @Test func withoutSharesOnlyEntriesTellingSomeoneAreReadAndTheCursorPassesAll() throws {
        let scratch = try Scratch()
        let alice = scratch.session, bob = try scratch.session(for: "bob")
        for round in 0..<7 {
            try alice.put(local: try scratch.write("f\(round)", Data("v\(round)".utf8)), to: "/f\(round).txt")
            if round % 3 == 1 { try scratch.drive.setQuota(user: "bob", bytes: Int64(round + 1) << 20) }
        }
        let latest = try scratch.drive.latestSequence()
        let report = try scratch.drive.fanOutNotifications(batch: 3)
        #expect(report.entries == (try scratch.drive.journal(after: 0).count))
        #expect(report.cursor == latest && report.inboxRows == 2)
        #expect(try inbox(scratch, bob).count == 2)
        #expect(try inbox(scratch, alice).isEmpty)
        #expect(try scratch.drive.fanOutNotifications().entries == 0)
    }

    @Test func sharesTellTheUserTheyNameAndTrashAndMovesTellTheSharees() throws {
        let scratch = try Scratch()
        let (bob, _) = try team(scratch)
        let shares = try inbox(scratch, bob)
        #expect(shares.map(\.title) == ["alice shared team with you"])
        #expect(shares[0].body == "alice shared /shared/team with you as editor.")
        try scratch.session.put(local: try scratch.write("a", Data("a".utf8)), to: "/team/a.txt")
        try scratch.session.move("/team/a.txt", to: "/team/docs/a.txt")
        try scratch.session.trash("/team/docs/a.txt")
        try scratch.drive.fanOutNotifications()
        #expect(try inbox(scratch, bob).prefix(3).map(\.title) == ["alice deleted a.txt", "alice moved a.txt", "alice added a.txt"])
        #expect(try inbox(scratch, scratch.session).isEmpty, "alice did all of it herself")
    }

    @Test func settingsSwitchChannelsPerKind() throws {
        let scratch = try Scratch()
        let (bob, _) = try team(scratch)
        let alice = scratch.session.user.id!
        try scratch.drive.notifier.setRule(.email, kind: "put", enabled: false, for: alice)
        try scratch.drive.notifier.setRule(.inbox, kind: "move", enabled: false, for: alice)
        try bob.put(local: try scratch.write("a", Data("a".utf8)), to: "/shared/team/a.txt")
        try bob.move("/shared/team/a.txt", to: "/shared/team/b.txt")
        try scratch.drive.fanOutNotifications()
        #expect(try inbox(scratch, scratch.session).map(\.kind) == ["put"], "the inbox skips moves")
        let email = try scratch.query { try String.fetchAll($0, sql: "SELECT kind FROM notifyMessage WHERE channel = 'email'") }
        #expect(email == ["move"], "email skips puts, takes moves")
    }

    @Test func aDigestFoldsEditsOfOneFileIntoOneMessage() throws {
        let scratch = try Scratch()
        let (bob, _) = try team(scratch)
        try scratch.drive.notifier.setPreferences(Preferences(digestSeconds: 3600), for: scratch.session.user.id!)
        for round in 1...12 {
            try bob.put(local: try scratch.write("r", Data("v\(round)".utf8)), to: "/shared/team/report.txt", onStale: .replace)
        }
        try scratch.drive.fanOutNotifications()
        let rows = try scratch.query { try Row.fetchAll($0, sql: "SELECT title, count, heldFor FROM notifyMessage WHERE channel = 'email'") }
        #expect(rows.count == 1)
        #expect(rows.first?["title"] == "bob edited report.txt 12 times")
        #expect(rows.first?["heldFor"] == "digest")
        #expect(try inbox(scratch, scratch.session).count == 12, "the inbox gets every event")

        // Switched off, the same edits are twelve messages.
        let plain = try Scratch()
        let (plainBob, _) = try team(plain)
        for round in 1...12 {
            try plainBob.put(local: try plain.write("r", Data("v\(round)".utf8)), to: "/shared/team/report.txt", onStale: .replace)
        }
        try plain.drive.fanOutNotifications()
        #expect(try plain.query { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM notifyMessage WHERE channel = 'email'") } == 12)
    }

    @Test func quietHoursHoldEmailButNotTheInbox() throws {
        for quiet in [true, false] {
            let scratch = try Scratch()
            let (bob, _) = try team(scratch)
            // The test clock starts at 22:13 UTC.
            if quiet {
                try scratch.drive.notifier.setPreferences(Preferences(quietStart: 22 * 60, quietEnd: 7 * 60, timeZone: "UTC"),
                                                          for: scratch.session.user.id!)
            }
            let start = scratch.clock.now()
            try bob.put(local: try scratch.write("a", Data("a".utf8)), to: "/shared/team/a.txt")
            try scratch.drive.fanOutNotifications()
            #expect(try inbox(scratch, scratch.session).count == 1)
            let row = try #require(try scratch.query { try Row.fetchOne($0, sql: "SELECT notBefore, heldFor FROM notifyMessage") })
            let notBefore = Date(timeIntervalSince1970: row["notBefore"])
            if quiet {
                #expect(row["heldFor"] == "quiet hours")
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC")!
                #expect(calendar.component(.hour, from: notBefore) == 7 && notBefore.timeIntervalSince(start) > 8 * 3600)
            } else {
                #expect(notBefore.timeIntervalSince(start) < 60)
            }
        }
    }

    @Test func aRateLimitHoldsMessagesPastItForAnHour() throws {
        for limit in [2, 0] {
            let scratch = try Scratch()
            let (bob, _) = try team(scratch)
            try scratch.drive.notifier.setPreferences(Preferences(ratePerHour: limit), for: scratch.session.user.id!)
            for round in 1...3 {
                try bob.put(local: try scratch.write("f", Data("\(round)".utf8)), to: "/shared/team/f\(round).txt")
            }
            try scratch.drive.fanOutNotifications()
            let held = try scratch.query { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM notifyMessage WHERE heldFor = 'rate limit'") }
            #expect(held == (limit == 2 ? 1 : 0))
        }
    }
}
