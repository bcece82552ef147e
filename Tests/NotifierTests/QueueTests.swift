import Foundation
import GRDB
@testable import Notifier
import Synchronization
import Testing

/// The queue's promises: a leased message is sent by one worker at a time, failures are retried
/// with backoff (Retry-After honoured) up to a cap and then dead, and nothing is lost.
@Suite struct QueueTests {
    /// A notifier over a fresh database in a temp folder.
    final class Bench: @unchecked Sendable {
        let folder: URL
        let pool: DatabasePool
        let notifier: Notifier

        init(_ config: String = "") throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-notifier-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            pool = try DatabasePool(path: folder.appendingPathComponent("meta.sqlite").path)
            var migrator = DatabaseMigrator()
            NotifierSchema.registerMigrations(in: &migrator)
            try migrator.migrate(pool)
            notifier = Notifier(database: pool, configuration: try NotifierConfiguration.parse(config))
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func state(_ id: Int64) throws -> Row {
            try pool.read { try Row.fetchOne($0, sql: "SELECT * FROM notifyMessage WHERE id = ?", arguments: [id])! }
        }
    }

    /// An outside service that answers from a script and counts what it got (a stand-in for a
    /// provider's server; the real providers are tested against local servers).
    final class ScriptedService: NotificationProvider, @unchecked Sendable {
        let channel = Channel.email
        let answers: Mutex<[ProviderAnswer]>
        let received = Mutex<[Int64]>([])
        let delay: Double

        init(_ answers: [ProviderAnswer] = [], delay: Double = 0) {
            self.answers = Mutex(answers)
            self.delay = delay
        }

        func deliver(_ message: OutgoingMessage) -> ProviderAnswer {
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            received.withLock { $0.append(message.id) }
            return answers.withLock { $0.isEmpty ? ProviderAnswer(.delivered, status: "250") : $0.removeFirst() }
        }
    }

    let ann = Recipient(id: 1, name: "ann", email: "ann@example.com")

    @Test func theSameKeyNeverQueuesTwice() throws {
        let bench = try Bench()
        let notice = Notice(key: "k1", kind: "notice", title: "Hello", body: "World")
        let first = try bench.notifier.send(notice, to: [ann])
        let again = try bench.notifier.send(notice, to: [ann])
        #expect(first[0].inboxId != nil && first[0].messageIds.count == 1)
        #expect(again[0].inboxId == nil && again[0].messageIds.isEmpty)
    }

    @Test func twoWorkersNeverSendOneMessageTwice() throws {
        let bench = try Bench("[delivery]\nconcurrency = 3")
        for index in 0..<60 {
            try bench.notifier.send(Notice(key: "k\(index)", kind: "notice", title: "t", body: "b"), to: [ann])
        }
        let service = ScriptedService(delay: 0.002)
        let workers = (0..<2).map { _ in NotifierWorkers(notifier: Notifier(database: bench.pool), providers: [service]) }
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            while workers[index % 2].deliverDue(.email) > 0 {}
        }
        let received = service.received.withLock { $0 }
        #expect(received.count == 60 && Set(received).count == 60)
    }

    @Test func failuresAreRetriedWithBackoffHonouringRetryAfterThenDead() throws {
        let bench = try Bench("[delivery]\nmax-attempts = 3\nbackoff-base = 0\nbackoff-cap = 0")
        let id = try #require(try bench.notifier.send(Notice(key: "k", kind: "notice", title: "t", body: "b"), to: [ann])[0].messageIds.first)
        let service = ScriptedService([ProviderAnswer(.retry, status: "429", retryAfter: 120),
                                       ProviderAnswer(.retry, status: "503"), ProviderAnswer(.retry, status: "500")])
        let workers = NotifierWorkers(notifier: bench.notifier, providers: [service])
        let before = Date().timeIntervalSince1970
        workers.deliverDue(.email)
        let held = try bench.state(id)
        #expect(held["state"] == "queued" && held["attempts"] == 1)
        #expect((held["notBefore"] as Double) >= before + 119, "Retry-After: 120 holds it two minutes")
        for _ in 0..<2 {
            try bench.pool.write { try $0.execute(sql: "UPDATE notifyMessage SET notBefore = 0") }
            workers.deliverDue(.email)
        }
        #expect(try bench.state(id)["state"] == "dead")
        #expect(try bench.notifier.status().first { $0.channel == .email }?.dead == 1)
        #expect(try bench.notifier.attempts().map(\.status) == ["500", "503", "429"])
        #expect(try bench.notifier.retryDead() == 1)
        workers.deliverDue(.email)
        #expect(try bench.state(id)["state"] == "delivered")
    }

    @Test func aLeaseThatRanOutIsTakenOverAndTheLateAnswerIsIgnored() throws {
        let bench = try Bench("[delivery]\nlease = 1")
        let id = try #require(try bench.notifier.send(Notice(key: "k", kind: "notice", title: "t", body: "b"), to: [ann])[0].messageIds.first)
        let crashed = try bench.notifier.claim(.email, owner: "gone", limit: 5)
        #expect(crashed.map(\.id) == [id])
        #expect(try bench.notifier.claim(.email, owner: "other", limit: 5).isEmpty, "held while the lease holds")
        Thread.sleep(forTimeInterval: 1.1)
        let taken = try bench.notifier.claim(.email, owner: "other", limit: 5)
        #expect(taken.map(\.attempt) == [2])
        try bench.notifier.settle(crashed[0], owner: "gone", answer: ProviderAnswer(.drop, status: "late"), latency: 0)
        try bench.notifier.settle(taken[0], owner: "other", answer: ProviderAnswer(.delivered, status: "250"), latency: 0)
        #expect(try bench.state(id)["state"] == "delivered")
        #expect(try bench.notifier.attempts().count == 1)
    }

    @Test func anInvalidAddressDisablesTheTokenAndLaterMessagesSkipIt() throws {
        let bench = try Bench()
        let token = String(repeating: "ab", count: 32)
        try bench.notifier.addPushToken(token, platform: .ios, for: ann.id)
        let id = try #require(try bench.notifier.send(Notice(key: "k", kind: "notice", title: "t", body: "b"), to: [ann], channels: [.push])[0].messageIds.first)
        let message = try #require(try bench.notifier.claim(.push, owner: "w", limit: 1).first)
        try bench.notifier.settle(message, owner: "w", answer: ProviderAnswer(.addressInvalid, status: "410", detail: "Unregistered"), latency: 0)
        #expect(try bench.state(id)["state"] == "dropped")
        #expect(try bench.notifier.registeredAddresses(for: ann.id, channel: .push).first?.disabledAt != nil)
        #expect(try bench.notifier.send(Notice(key: "k2", kind: "notice", title: "t", body: "b"), to: [ann], channels: [.push])[0].messageIds.isEmpty)
    }

    @Test func badTokensAndWebhooksAreRefusedInOneLine() throws {
        let bench = try Bench()
        for (token, platform) in [("short", PushPlatform.android), ("zz" + String(repeating: "0", count: 62), .ios), ("a b c d e f g h i j k", .android)] {
            #expect(throws: NotifierError.self) { try bench.notifier.addPushToken(token, platform: platform, for: 1) }
        }
        #expect(throws: NotifierError.self) { try bench.notifier.addWebhook("ftp://x", for: 1) }
        #expect(throws: NotifierError.self) { try bench.notifier.removeAddress("nope", channel: .push, for: 1) }
    }

    @Test func templatesFillValuesAndFilesOverrideThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{actor} 님이 {name} 수정\n\n본문 {path}\n".utf8).write(to: folder.appendingPathComponent("put.email.txt"))
        let book = TemplateBook(builtIn: ["put": Template(title: "{actor} edited {name}", body: "{path}")], overrides: folder.path)
        let values = ["actor": "bob", "name": "a.txt", "path": "/a.txt"]
        let fallback = Template(title: "x", body: "y")
        #expect(book.render(kind: "put", channel: .inbox, count: 1, values: values, fallback: fallback) == Template(title: "bob edited a.txt", body: "/a.txt"))
        #expect(book.render(kind: "put", channel: .email, count: 1, values: values, fallback: fallback) == Template(title: "bob 님이 a.txt 수정", body: "본문 /a.txt"))
        #expect(book.render(kind: "other", channel: .sms, count: 3, values: values, fallback: Template(title: "{actor}?", body: "{missing}")).title == "bob? (3 times)")
    }
}
