import Foundation
import Notifier
@testable import NotifierHTTP
import Testing

/// Webhooks through a real `Notifier` to a receiver that verifies the Standard Webhooks
/// signature itself, with the secret the notifier made.
@Suite struct WebhookTests {
    /// A harness with a webhook of recipient 1 at `server`/hook; returns it and the secret.
    static func registered(_ server: TestServer) throws -> (Harness, String) {
        let harness = try Harness(testConfig("[webhook]\ntimeout = 5"))
        let webhook = try harness.notifier.addWebhook(server.url + "/hook", for: 1)
        return (harness, try #require(webhook.secret))
    }

    @Test func theReceiverVerifiesTheSignatureAndGetsTheEvent() throws {
        let server = try TestServer()
        let (harness, secret) = try Self.registered(server)
        try server.plan(["/hook": [Reply(204, "")]], secret: secret)
        let id = try #require(try harness.send("put:1", on: .webhook).first)

        #expect(harness.workers.deliverDue(.webhook) == 1)
        #expect(try harness.message(id).state == "delivered")
        let request = try #require(try server.requests().first)
        #expect(request.signature == "ok")
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["webhook-id"]?.hasPrefix("msg_\(id)_") == true)
        let timestamp = try #require(request.headers["webhook-timestamp"].flatMap(Double.init))
        #expect(abs(timestamp - Date().timeIntervalSince1970) < 60)
        #expect(request.headers["webhook-signature"]?.hasPrefix("v1,") == true)
        let event = try request.json()
        #expect(event["type"] as? String == "put")
        #expect(event["key"] as? String == "put:1")
        #expect(event["title"] as? String == "bob put report.txt")
        #expect(event["body"] as? String == "in /docs")
        #expect(event["link"] as? String == "cairn:/docs/report.txt")
        #expect(event["count"] as? Int == 1)
        let createdAt = try #require((event["createdAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
        #expect(abs(createdAt.timeIntervalSince(harness.clock.now())) < 1)
    }

    @Test func theReceiverRejectsASignatureMadeWithAnotherSecret() throws {
        let server = try TestServer()
        let (harness, _) = try Self.registered(server)
        try server.plan([:], secret: "whsec_" + Data(repeating: 7, count: 24).base64EncodedString())
        try harness.send("put:1", on: .webhook)

        harness.workers.deliverDue(.webhook)
        #expect(try server.requests().map(\.signature) == ["fail"])
    }

    @Test func aRetryKeepsTheWebhookId() throws {
        let server = try TestServer()
        let (harness, secret) = try Self.registered(server)
        try server.plan(["/hook": [Reply(503, "busy", headers: ["retry-after": "1"]), Reply(200)]], secret: secret)
        let id = try #require(try harness.send("put:1", on: .webhook).first)

        harness.workers.deliverDue(.webhook)
        #expect(try harness.message(id).state == "queued")
        harness.clock.advance(2)
        harness.workers.deliverDue(.webhook)
        #expect(try harness.message(id).state == "delivered")
        let requests = try server.requests()
        #expect(requests.count == 2 && requests[0].headers["webhook-id"] == requests[1].headers["webhook-id"])
        #expect(requests.allSatisfy { $0.signature == "ok" })
    }

    @Test func goneDisablesTheWebhook() throws {
        let server = try TestServer()
        let (harness, secret) = try Self.registered(server)
        try server.plan(["/hook": [Reply(410, "gone")]], secret: secret)
        let id = try #require(try harness.send("put:1", on: .webhook).first)

        harness.workers.deliverDue(.webhook)
        #expect(try harness.message(id).state == "dropped")
        let webhook = try #require(try harness.notifier.registeredAddresses(for: 1, channel: .webhook).first)
        #expect(webhook.disabledAt != nil && webhook.disabledReason == "410 gone")
        #expect(try harness.send("put:2", on: .webhook).isEmpty)
        #expect(try server.requests().count == 1)
    }

    @Test func answersAreClassified() throws {
        let server = try TestServer()
        let secret = "whsec_" + Data(repeating: 1, count: 24).base64EncodedString()
        let replies: [(Reply, ProviderAnswer)] = [
            (Reply(429, "slow down", headers: ["retry-after": "4"]), ProviderAnswer(.retry, status: "429", detail: "slow down", retryAfter: 4)),
            (Reply(500, "oops"), ProviderAnswer(.retry, status: "500", detail: "oops")),
            (Reply(404, "no such hook"), ProviderAnswer(.drop, status: "404", detail: "no such hook")),
            (Reply(301, "", headers: ["location": "http://127.0.0.1:1/"]), ProviderAnswer(.drop, status: "301")),
            (Reply(410, ""), ProviderAnswer(.addressInvalid, status: "410")),
            (Reply(202, "thanks"), ProviderAnswer(.delivered, status: "202")),
        ]
        try server.plan(["/hook": replies.map(\.0)], secret: secret)
        let providers = try HTTPProviders.make(NotifierConfiguration())
        let message = outgoing(.webhook, to: server.url + "/hook", secret: secret)
        let webhook = try provider(for: message, in: providers)
        for (_, expected) in replies { #expect(webhook.deliver(message) == expected) }
        #expect(try server.requests().count == replies.count, "a redirect is not followed")
        #expect(webhook.deliver(outgoing(.webhook, to: server.url + "/hook", secret: "plain")).outcome == .drop)
    }
}
