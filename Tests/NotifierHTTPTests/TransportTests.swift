import Crypto
import Foundation
import Notifier
@testable import NotifierHTTP
import Testing

/// What happens when the service does not answer properly: a hang, a closed port, an untrusted
/// certificate. None of it throws or loses a message.
@Suite struct TransportTests {
    static let secret = "whsec_" + Data(repeating: 1, count: 24).base64EncodedString()

    @Test func aHungServiceTimesOutAndIsRetried() throws {
        let server = try TestServer()
        try server.plan(["/hook": [Reply(200, delay: 3)]])
        let providers = try HTTPProviders.make(NotifierConfiguration.parse("[webhook]\ntimeout = 0.5"))
        let message = outgoing(.webhook, to: server.url + "/hook", secret: Self.secret)
        let started = Date()

        let answer = try provider(for: message, in: providers).deliver(message)
        #expect(answer.outcome == .retry && answer.status == "timeout")
        #expect(Date().timeIntervalSince(started) < 2.5)
        #expect(try server.requests().count == 1)
    }

    /// By address (NIO reports the socket's error) and by name (NIO reports every address of the
    /// name it tried).
    @Test(arguments: ["127.0.0.1", "localhost"])
    func aClosedPortIsRefusedAndRetried(host: String) throws {
        let providers = try HTTPProviders.make(NotifierConfiguration())
        let message = outgoing(.webhook, to: "http://\(host):\(try closedPort())/hook", secret: Self.secret)

        let answer = try provider(for: message, in: providers).deliver(message)
        #expect(answer == ProviderAnswer(.retry, status: "refused", detail: "connection refused"))
    }

    @Test func aServerOutsideTheTrustedRootsIsAConfigurationError() throws {
        let server = try TestServer(tls: true)
        // The section without its ca-file: the test CA is not among the system's roots.
        let section = try apnsSection(server, key: P256.Signing.PrivateKey())
            .split(separator: "\n").filter { !$0.hasPrefix("ca-file") }.joined(separator: "\n")
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(section))
        let message = outgoing(.push, to: APNsTests.token, platform: .ios)

        let answer = try provider(for: message, in: providers).deliver(message)
        #expect(answer.outcome == .configuration && answer.status == "tls")
        #expect(try server.requests().isEmpty)
    }

    @Test func aHugeReplyIsReadOnlyInPart() throws {
        let server = try TestServer()
        try server.plan(["/hook": [Reply(500, String(repeating: "x", count: 1 << 20))]])
        let providers = try HTTPProviders.make(NotifierConfiguration())
        let message = outgoing(.webhook, to: server.url + "/hook", secret: Self.secret)

        let answer = try provider(for: message, in: providers).deliver(message)
        #expect(answer.outcome == .retry && answer.detail.count <= 300)
        #expect(try server.requests().count == 1)
    }

    @Test func anUnreachableProviderIsRetriedUntilDeadAndNeverLost() throws {
        let harness = try Harness(testConfig("""
            [fcm]
            url = http://127.0.0.1:\(try closedPort())
            project = cairn-test
            token = ya29.token
            """, maxAttempts: 3))
        try harness.notifier.addPushToken(FCMTests.token, platform: .android, for: 1)
        let id = try #require(try harness.send("put:1", on: .push).first)

        for attempt in 1...3 {
            #expect(harness.workers.deliverDue(.push) == 1)
            #expect(try harness.message(id).attempts == attempt)
            #expect(try harness.message(id).state == (attempt < 3 ? "queued" : "dead"))
            harness.clock.advance(1)
        }
        #expect(try harness.notifier.attempts().map(\.status) == ["refused", "refused", "refused"])
        let push = try #require(try harness.notifier.status().first { $0.channel == .push })
        #expect(push.dead == 1 && push.delivered == 0 && push.dropped == 0)
        #expect(try harness.notifier.retryDead(channel: .push) == 1)
        #expect(try harness.message(id).state == "queued")
    }
}
