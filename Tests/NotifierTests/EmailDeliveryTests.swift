import Foundation
import GRDB
import Notifier
import Testing

/// Email end to end with real servers: a notice queued in a real notifier store, sent by the
/// workers through SendmailProvider running Debian's msmtp, into an aiosmtpd SMTP server on
/// 127.0.0.1, and read back from what the server received. Also what a failing or missing
/// command leaves behind: the message still queued, the attempt logged with the reason.
@Suite struct EmailDeliveryTests {
    static let msmtp = "/usr/bin/msmtp"
    let folder: TempFolder
    let clock = TestClock()

    init() throws {
        folder = try TempFolder()
    }

    /// A notifier over a fresh store in the test's folder, configured by `settings` (an INI text).
    func notifier(_ settings: String) throws -> Notifier {
        let pool = try DatabasePool(path: folder.file("notify.sqlite"))
        var migrator = DatabaseMigrator()
        NotifierSchema.registerMigrations(in: &migrator)
        try migrator.migrate(pool)
        let configuration = try NotifierConfiguration.parse(settings, source: "/etc/cairn/notify.conf")
        return Notifier(database: pool, configuration: configuration, clock: { [clock] in clock.now() })
    }

    /// The `[email] command` that sends through msmtp to `sink`, with its config file written.
    func msmtpCommand(to sink: SMTPSink) throws -> String {
        try #require(FileManager.default.isExecutableFile(atPath: Self.msmtp),
                     "msmtp is missing: install it with '\(SMTPSink.installHint)'")
        // msmtp refuses a config file others may read.
        let config = try folder.write("msmtprc", """
            account default
            host 127.0.0.1
            port \(sink.port)
            from cairn@drive.test
            auth off
            tls off
            """, mode: 0o600)
        return "\(Self.msmtp) -C '\(config)' -t -i"
    }

    /// Queues the Korean notice for 김민지 by email; returns the queue row's id.
    func sendNotice(_ notifier: Notifier) throws -> Int64 {
        let notice = Notice(key: "put:42:v3", kind: "put", title: "보고서.txt 편집됨",
                            body: "민지 님이 보고서.txt를 편집했습니다.\n버전 3", link: "https://drive.test/f/42")
        let results = try notifier.send(notice, to: [Recipient(id: 1, name: "김민지", email: "minji@example.test")], channels: [.email])
        return try #require(results.first?.messageIds.first)
    }

    /// The queue row's state, attempt count, reason for waiting, due time and last answer.
    func row(_ notifier: Notifier, _ id: Int64) throws -> Row? {
        try notifier.database.read { db in
            try Row.fetchOne(db, sql: "SELECT state, attempts, heldFor, notBefore, lastAnswer FROM notifyMessage WHERE id = ?",
                             arguments: [id])
        }
    }

    @Test func aKoreanNoticeArrivesThroughMsmtpInARealSMTPServer() throws {
        let sink = try SMTPSink(in: folder)
        let notifier = try notifier("""
            [email]
            command = \(try msmtpCommand(to: sink))
            from = Cairn Drive <cairn@drive.test>
            unsubscribe = https://drive.test/unsubscribe
            """)
        let id = try sendNotice(notifier)
        let workers = NotifierWorkers(notifier: notifier, providers: [SendmailProvider(configuration: notifier.configuration)])
        #expect(workers.drain([id], timeout: 20) == 0)

        let received = try sink.messages(count: 1)
        try #require(received.count == 1, "the server received \(received.count) messages")
        #expect(received[0].recipients == ["minji@example.test"])
        let mail = MailReader(received[0].text)
        #expect(mail.header("From") == "Cairn Drive <cairn@drive.test>")
        #expect(mail.header("To") == "김민지 <minji@example.test>")
        #expect(mail.header("Subject") == "보고서.txt 편집됨")
        #expect(mail.header("Date") == "Tue, 14 Nov 2023 22:13:20 +0000")
        let messageID = try #require(mail.header("Message-ID"))
        #expect(messageID.wholeMatch(of: try Regex("<put_42_v3-[0-9a-f]{16}\\.\(id)@cairn>")) != nil, "\(messageID)")
        #expect(mail.header("List-Unsubscribe") == "<https://drive.test/unsubscribe>")
        #expect(mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        #expect(mail.header("Auto-Submitted") == "auto-generated")
        #expect(mail.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(mail.header("Content-Transfer-Encoding") == "base64")
        #expect(mail.body == "민지 님이 보고서.txt를 편집했습니다.\n버전 3\n\nOpen: https://drive.test/f/42")
        #expect(mail.headerLines.allSatisfy { $0.utf8.count <= 78 })

        #expect(try row(notifier, id)?["state"] == "delivered")
        let attempts = try notifier.attempts()
        #expect(attempts.map(\.outcome) == [.delivered])
        #expect(attempts.first?.status == "exit 0")
    }

    @Test func aFailingCommandKeepsTheMessageAndTheNextAttemptSendsTheSameEmail() throws {
        let tempfail = try folder.script("tempfail", """
            cat > '\(folder.file("attempt1.eml"))'
            echo "sendmail: mail queue is full, try later" >&2
            exit 75
            """)
        let notifier = try notifier("[email]\ncommand = \(tempfail) -t -i\n[delivery]\nbackoff-base = 60\nbackoff-cap = 60\n")
        let id = try sendNotice(notifier)
        let failing = NotifierWorkers(notifier: notifier, providers: [SendmailProvider(configuration: notifier.configuration)])
        // The clock stands still, so the retry waits and drain returns after one attempt.
        #expect(failing.drain([id], timeout: 10) == 0)

        let queued = try #require(try row(notifier, id))
        #expect(queued["state"] == "queued")
        #expect(queued["attempts"] == 1)
        #expect(queued["heldFor"] == "retry")
        #expect((queued["notBefore"] as Double) > clock.now().timeIntervalSince1970)
        #expect((queued["lastAnswer"] as String).contains("mail queue is full"))
        let attempt = try #require(try notifier.attempts().first)
        #expect(attempt.outcome == .retry)
        #expect(attempt.status == "exit 75")
        #expect(attempt.detail == "sendmail: mail queue is full, try later (exit status 75 EX_TEMPFAIL)")
        #expect(try notifier.status().first { $0.channel == .email }?.retrying == 1)

        // Once the backoff passes, a working command sends the very same email.
        let sink = try SMTPSink(in: folder)
        let working = try SendmailProvider(configuration: NotifierConfiguration.parse("[email]\ncommand = \(msmtpCommand(to: sink))"))
        clock.advance(61)
        #expect(NotifierWorkers(notifier: notifier, providers: [working]).drain([id], timeout: 20) == 0)
        let received = try sink.messages(count: 1)
        try #require(received.count == 1)
        let first = MailReader(try folder.read("attempt1.eml"))
        #expect(MailReader(received[0].text).header("Message-ID") == first.header("Message-ID"))
        #expect(MailReader(received[0].text).header("Subject") == "보고서.txt 편집됨")
        #expect(try row(notifier, id)?["state"] == "delivered")
        #expect(try notifier.attempts().map(\.outcome) == [.delivered, .retry])
    }

    @Test func aMissingCommandIsAConfigurationErrorNamingIt() throws {
        let notifier = try notifier("[email]\ncommand = cairn-no-such-sendmail -t -i\n[delivery]\nbackoff-base = 60\n")
        let id = try sendNotice(notifier)
        let workers = NotifierWorkers(notifier: notifier, providers: [SendmailProvider(configuration: notifier.configuration)])
        #expect(workers.drain([id], timeout: 10) == 0)

        let attempt = try #require(try notifier.attempts().first)
        #expect(attempt.outcome == .configuration)
        #expect(attempt.status == "cannot run")
        #expect(attempt.detail.contains("'cairn-no-such-sendmail' (No such file or directory)"), "\(attempt.detail)")
        #expect(attempt.detail.contains("set 'command' in [email] of /etc/cairn/notify.conf"), "\(attempt.detail)")
        #expect(try row(notifier, id)?["state"] == "queued")
        #expect(try row(notifier, id)?["attempts"] == 1)
    }
}
