import Foundation
import Notifier
@testable import NotifierHTTP
import Testing

/// FCM HTTP v1 against a real local server.
@Suite struct FCMTests {
    static let token = "fcm-token:APA91b" + String(repeating: "x", count: 40)
    static let path = "/v1/projects/cairn-test/messages:send"

    static func section(_ server: TestServer, credential: String = "token = ya29.first") -> String {
        """
        [fcm]
        url = \(server.url)
        project = cairn-test
        \(credential)
        timeout = 5
        """
    }

    @Test func requestCarriesTheBearerTokenNotificationAndData() throws {
        let server = try TestServer()
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(Self.section(server)))
        let message = outgoing(.push, to: Self.token, platform: .android)
        let fcm = try provider(for: message, in: providers)
        #expect(!fcm.handles(outgoing(.push, to: Self.token, platform: .ios)), "iOS tokens are APNs'")

        #expect(fcm.deliver(message).outcome == .delivered)
        let request = try #require(try server.requests().first)
        #expect(request.method == "POST" && request.path == Self.path)
        #expect(request.headers["authorization"] == "Bearer ya29.first")
        #expect(request.headers["content-type"] == "application/json")
        let body = try #require(try request.json()["message"] as? [String: Any])
        #expect(body["token"] as? String == Self.token)
        #expect(body["notification"] as? [String: String] == ["title": "bob put report.txt", "body": "in /docs"])
        #expect(body["data"] as? [String: String] == ["link": "cairn:/docs/report.txt", "kind": "put", "key": "put:42"])
    }

    @Test func aTokenFileIsReadForEveryMessage() throws {
        let server = try TestServer()
        let tokenFile = server.directory.appendingPathComponent("fcm-token")
        try Data("ya29.first\n".utf8).write(to: tokenFile)
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(Self.section(server, credential: "token-file = \(tokenFile.path)")))
        let message = outgoing(.push, to: Self.token, platform: .android)
        let fcm = try provider(for: message, in: providers)

        _ = fcm.deliver(message)
        try Data("ya29.second".utf8).write(to: tokenFile)
        _ = fcm.deliver(message)
        try FileManager.default.removeItem(at: tokenFile)
        #expect(fcm.deliver(message).outcome == .configuration)
        #expect(try server.requests().map { $0.headers["authorization"] } == ["Bearer ya29.first", "Bearer ya29.second"])
    }

    @Test func answersAreClassifiedByStatusAndErrorCode() throws {
        let server = try TestServer()
        func failure(_ code: Int, _ status: String, _ errorCode: String? = nil) -> String {
            let details = errorCode.map { #","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"\#($0)"}]"# } ?? ""
            return #"{"error":{"code":\#(code),"message":"words","status":"\#(status)"\#(details)}}"#
        }
        let replies: [(Reply, ProviderAnswer)] = [
            (Reply(404, failure(404, "NOT_FOUND", "UNREGISTERED")), ProviderAnswer(.addressInvalid, status: "404", detail: "UNREGISTERED: words")),
            (Reply(400, failure(400, "INVALID_ARGUMENT", "UNREGISTERED")), ProviderAnswer(.addressInvalid, status: "400", detail: "UNREGISTERED: words")),
            (Reply(404, "not json"), ProviderAnswer(.addressInvalid, status: "404", detail: "not json")),
            (Reply(400, failure(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT")), ProviderAnswer(.drop, status: "400", detail: "INVALID_ARGUMENT: words")),
            (Reply(401, failure(401, "UNAUTHENTICATED")), ProviderAnswer(.configuration, status: "401", detail: "UNAUTHENTICATED: words")),
            (Reply(403, failure(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH")),
             ProviderAnswer(.configuration, status: "403", detail: "SENDER_ID_MISMATCH: words")),
            (Reply(429, failure(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED"), headers: ["retry-after": "7"]),
             ProviderAnswer(.retry, status: "429", detail: "QUOTA_EXCEEDED: words", retryAfter: 7)),
            (Reply(500, failure(500, "INTERNAL", "INTERNAL")), ProviderAnswer(.retry, status: "500", detail: "INTERNAL: words")),
            (Reply(503, failure(503, "UNAVAILABLE", "UNAVAILABLE"), headers: ["retry-after": "3"]),
             ProviderAnswer(.retry, status: "503", detail: "UNAVAILABLE: words", retryAfter: 3)),
            (Reply(200, #"{"name":"projects/cairn-test/messages/1"}"#),
             ProviderAnswer(.delivered, status: "200", detail: #"{"name":"projects/cairn-test/messages/1"}"#)),
        ]
        try server.plan([Self.path: replies.map(\.0)])
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(Self.section(server)))
        let message = outgoing(.push, to: Self.token, platform: .android)
        let fcm = try provider(for: message, in: providers)
        for (_, expected) in replies { #expect(fcm.deliver(message) == expected) }
        #expect(try server.requests().count == replies.count)
    }

    @Test func anUnregisteredTokenIsDisabled() throws {
        let server = try TestServer()
        try server.plan([Self.path: [Reply(404, #"{"error":{"status":"NOT_FOUND","details":[{"errorCode":"UNREGISTERED"}]}}"#)]])
        let harness = try Harness(testConfig(Self.section(server)))
        try harness.notifier.addPushToken(Self.token, platform: .android, for: 1)

        let id = try #require(try harness.send("put:1", on: .push).first)
        #expect(harness.workers.deliverDue(.push) == 1)
        #expect(try harness.message(id).state == "dropped")
        let address = try #require(try harness.notifier.registeredAddresses(for: 1, channel: .push).first)
        #expect(address.disabledAt != nil && address.disabledReason?.contains("UNREGISTERED") == true)
        #expect(try harness.send("put:2", on: .push).isEmpty, "a disabled token gets nothing more")
        #expect(try server.requests().count == 1)
    }
}
