import Crypto
import Foundation
import Notifier
@testable import NotifierHTTP
import Testing

/// APNs against a real HTTP/2 server over TLS that trusts only a CA made for the test.
@Suite struct APNsTests {
    static let token = String(repeating: "ab", count: 32)
    static let path = "/3/device/" + token

    @Test func requestIsHTTP2WithAppleHeadersPayloadAndASignedToken() throws {
        let server = try TestServer(tls: true)
        let key = P256.Signing.PrivateKey()
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(try apnsSection(server, key: key)))
        let message = outgoing(.push, to: Self.token, platform: .ios)
        let apns = try provider(for: message, in: providers)

        let answer = apns.deliver(message)
        #expect(answer == ProviderAnswer(.delivered, status: "200"))
        let request = try #require(try server.requests().first)
        #expect(request.httpVersion == "2")
        #expect(request.method == "POST" && request.path == Self.path)
        #expect(request.headers["apns-topic"] == "com.example.cairn")
        #expect(request.headers["apns-push-type"] == "alert")
        #expect(request.headers["apns-priority"] == "10")
        #expect(request.headers["apns-collapse-id"] == "put:42")
        #expect(request.headers["apns-expiration"] == String(1_800_000_000 + 86_400))
        #expect(request.headers["content-type"] == "application/json")
        let id = try #require(request.headers["apns-id"])
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())

        let body = try request.json()
        let aps = try #require(body["aps"] as? [String: Any])
        #expect(aps["alert"] as? [String: String] == ["title": "bob put report.txt", "body": "in /docs"])
        #expect(aps["sound"] as? String == "default")
        #expect(aps["thread-id"] as? String == "put")
        #expect(body["link"] as? String == "cairn:/docs/report.txt")

        let authorization = try #require(request.headers["authorization"])
        #expect(authorization.hasPrefix("bearer "))
        let jwt = try verifiedJWT(String(authorization.dropFirst(7)), key: key.publicKey)
        #expect(jwt.header["alg"] as? String == "ES256" && jwt.header["kid"] as? String == "KEY1234567")
        #expect(jwt.claims["iss"] as? String == "TEAM123456")
        let issued = try #require(jwt.claims["iat"] as? Int)
        #expect(abs(Double(issued) - Date().timeIntervalSince1970) < 60)
    }

    @Test func retriesKeepTheApnsIdAndTheTokenAndLongKeysAreCutTo64Bytes() throws {
        let server = try TestServer(tls: true)
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(try apnsSection(server, key: P256.Signing.PrivateKey())))
        let first = outgoing(.push, to: Self.token, platform: .ios)
        let other = outgoing(.push, to: Self.token, platform: .ios, id: 8, key: String(repeating: "é", count: 40))
        let apns = try provider(for: first, in: providers)

        for message in [first, first, other] { #expect(apns.deliver(message).outcome == .delivered) }
        let requests = try server.requests()
        try #require(requests.count == 3)
        #expect(requests[0].headers["apns-id"] == requests[1].headers["apns-id"])
        #expect(requests[0].headers["apns-id"] != requests[2].headers["apns-id"])
        #expect(Set(requests.map { $0.headers["authorization"] }).count == 1, "the provider token is signed once and reused")
        // Two bytes per 'é': 32 of them fill the 64 bytes APNs allows, none cut in half.
        let collapse = try #require(requests[2].headers["apns-collapse-id"])
        #expect(Data(collapse.utf8) == Data(String(repeating: "é", count: 32).utf8))
    }

    @Test func theProviderTokenIsRenewedAfterFiftyMinutes() throws {
        let server = try TestServer(tls: true)
        let key = P256.Signing.PrivateKey()
        let clock = TestClock()
        let configuration = try NotifierConfiguration.parse(try apnsSection(server, key: key))
        let apns = try APNsProvider(ProviderSection("apns", configuration), clock: { clock.now() })
        let message = outgoing(.push, to: Self.token, platform: .ios)

        _ = apns.deliver(message)
        clock.advance(49 * 60)
        _ = apns.deliver(message)
        clock.advance(2 * 60)
        _ = apns.deliver(message)
        let tokens = try server.requests().map { String(try #require($0.headers["authorization"]).dropFirst(7)) }
        try #require(tokens.count == 3)
        #expect(tokens[0] == tokens[1], "a 49-minute-old token is still used")
        #expect(tokens[2] != tokens[1], "a 51-minute-old token is replaced")
        let renewed = try verifiedJWT(tokens[2], key: key.publicKey)
        #expect(renewed.claims["iat"] as? Int == Int(clock.now().timeIntervalSince1970))
    }

    @Test func answersAreClassifiedWithAppleReasons() throws {
        let server = try TestServer(tls: true)
        let replies: [(Reply, ProviderAnswer)] = [
            (Reply(410, #"{"reason":"Unregistered","timestamp":1800000000000}"#), ProviderAnswer(.addressInvalid, status: "410", detail: "Unregistered")),
            (Reply(400, #"{"reason":"BadDeviceToken"}"#), ProviderAnswer(.addressInvalid, status: "400", detail: "BadDeviceToken")),
            (Reply(400, #"{"reason":"PayloadEmpty"}"#), ProviderAnswer(.drop, status: "400", detail: "PayloadEmpty")),
            (Reply(413, #"{"reason":"PayloadTooLarge"}"#), ProviderAnswer(.drop, status: "413", detail: "PayloadTooLarge")),
            (Reply(403, #"{"reason":"InvalidProviderToken"}"#), ProviderAnswer(.configuration, status: "403", detail: "InvalidProviderToken")),
            (Reply(403, #"{"reason":"ExpiredProviderToken"}"#), ProviderAnswer(.configuration, status: "403", detail: "ExpiredProviderToken")),
            (Reply(429, #"{"reason":"TooManyRequests"}"#, headers: ["retry-after": "30"]),
             ProviderAnswer(.retry, status: "429", detail: "TooManyRequests", retryAfter: 30)),
            (Reply(500, #"{"reason":"InternalServerError"}"#), ProviderAnswer(.retry, status: "500", detail: "InternalServerError")),
            (Reply(503, #"{"reason":"ServiceUnavailable"}"#, headers: ["retry-after": "5"]),
             ProviderAnswer(.retry, status: "503", detail: "ServiceUnavailable", retryAfter: 5)),
            (Reply(200, ""), ProviderAnswer(.delivered, status: "200")),
        ]
        try server.plan([Self.path: replies.map(\.0)])
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(try apnsSection(server, key: P256.Signing.PrivateKey())))
        let message = outgoing(.push, to: Self.token, platform: .ios)
        let apns = try provider(for: message, in: providers)
        for (_, expected) in replies { #expect(apns.deliver(message) == expected) }
        #expect(try server.requests().count == replies.count)
    }

    @Test func anUnregisteredTokenIsDisabledAndLaterNoticesSkipIt() throws {
        let server = try TestServer(tls: true)
        let gone = String(repeating: "cd", count: 32)
        try server.plan(["/3/device/" + gone: [Reply(410, #"{"reason":"Unregistered"}"#)]])
        let harness = try Harness(testConfig(try apnsSection(server, key: P256.Signing.PrivateKey())))
        try harness.notifier.addPushToken(gone, platform: .ios, for: 1)
        try harness.notifier.addPushToken(Self.token, platform: .ios, for: 1)

        let first = try harness.send("put:1", on: .push)
        try #require(first.count == 2)
        #expect(harness.workers.deliverDue(.push) == 2)
        #expect(try harness.message(first[0]).state == "dropped")
        #expect(try harness.message(first[1]).state == "delivered")
        let addresses = try harness.notifier.registeredAddresses(for: 1, channel: .push)
        #expect(addresses.first { $0.address == gone }?.disabledAt != nil)
        #expect(addresses.first { $0.address == gone }?.disabledReason?.contains("Unregistered") == true)
        #expect(addresses.first { $0.address == Self.token }?.disabledAt == nil)

        let second = try harness.send("put:2", on: .push)
        #expect(second.count == 1, "only the live token gets the next notice")
        #expect(harness.workers.deliverDue(.push) == 1)
        #expect(try server.requests(to: "/3/device/" + gone).count == 1)
        #expect(try server.requests(to: Self.path).count == 2)
    }

    @Test func serverErrorsAreRetriedWithBackoffAndRetryAfterIsHonoured() throws {
        let server = try TestServer(tls: true)
        try server.plan([Self.path: [Reply(500), Reply(503), Reply(429, headers: ["retry-after": "120"]), Reply(200)]])
        let harness = try Harness(testConfig(try apnsSection(server, key: P256.Signing.PrivateKey())))
        try harness.notifier.addPushToken(Self.token, platform: .ios, for: 1)
        let id = try #require(try harness.send("put:1", on: .push).first)

        for attempt in 1...2 {
            #expect(harness.workers.deliverDue(.push) == 1)
            let message = try harness.message(id)
            #expect(message.state == "queued" && message.attempts == attempt)
            // Full jitter under the cap (backoff-cap = 0.05 s).
            #expect(message.notBefore >= harness.clock.now() && message.notBefore <= harness.clock.now() + 0.05)
            harness.clock.advance(1)
        }
        #expect(harness.workers.deliverDue(.push) == 1)
        let limited = try harness.message(id)
        #expect(limited.state == "queued" && limited.notBefore >= harness.clock.now() + 119)
        harness.clock.advance(60)
        #expect(harness.workers.deliverDue(.push) == 0, "not due before Retry-After has passed")
        harness.clock.advance(61)
        #expect(harness.workers.deliverDue(.push) == 1)
        #expect(try harness.message(id).state == "delivered")
        let statuses = try harness.notifier.attempts().reversed().map(\.status)
        #expect(statuses == ["500", "503", "429", "200"])
        #expect(try server.requests().allSatisfy { $0.httpVersion == "2" })
    }
}
