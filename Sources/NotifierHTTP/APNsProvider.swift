import Crypto
import Foundation
import NIOSSL
import Notifier

/// Sends iOS push notifications through Apple's HTTP/2 provider API with token (JWT) auth.
///
/// ```
/// [apns]
/// topic = com.example.cairn      # the app's bundle id
/// team-id = ABCDE12345
/// key-id = 1A2B3C4D5E
/// key-file = /etc/cairn/AuthKey_1A2B3C4D5E.p8
/// environment = production       # or development (the sandbox)
/// url = https://api.push.apple.com   # overrides the environment's URL
/// ca-file = /path/ca.pem         # a CA to trust instead of the system's (tests)
/// timeout = 10
/// ```
struct APNsProvider: NotificationProvider {
    let channel = Channel.push
    let baseURL: String
    let topic: String
    let signer: APNsTokenSigner
    let transport: HTTPTransport

    init(_ section: ProviderSection, clock: @escaping @Sendable () -> Date = Date.init) throws(NotifierError) {
        baseURL = try section.baseURL(Self.defaultURL(section))
        topic = try section.required("topic", "the app's bundle id")
        let teamId = try section.required("team-id", "the Apple developer team id")
        let keyId = try section.required("key-id", "the id of the APNs signing key")
        let pem = try section.file("key-file", "the APNs signing key, a .p8 file")
        let key: P256.Signing.PrivateKey
        do { key = try P256.Signing.PrivateKey(pemRepresentation: String(decoding: pem, as: UTF8.self)) } catch {
            throw section.error("key-file", "not a PEM PKCS#8 P-256 key (an APNs .p8 file)")
        }
        signer = APNsTokenSigner(key: key, keyId: keyId, teamId: teamId, clock: clock)
        transport = HTTPTransport(timeout: try section.timeout(), tls: try Self.trust(section))
    }

    /// Apple's production or sandbox host, as `environment` says.
    private static func defaultURL(_ section: ProviderSection) throws(NotifierError) -> String {
        switch section.optional("environment") ?? "production" {
        case "production": "https://api.push.apple.com"
        case "development", "sandbox": "https://api.sandbox.push.apple.com"
        case let other: throw section.error("environment", "'\(other)' is neither production nor development")
        }
    }

    /// TLS trusting only `ca-file` when given (a test server's own CA), else the system's roots.
    private static func trust(_ section: ProviderSection) throws(NotifierError) -> TLSConfiguration? {
        guard section.optional("ca-file") != nil else { return nil }
        let pem = try section.file("ca-file", "a PEM CA certificate to trust")
        guard let roots = try? NIOSSLCertificate.fromPEMBytes(Array(pem)), !roots.isEmpty else {
            throw section.error("ca-file", "no PEM certificate in it")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(roots)
        return tls
    }

    func handles(_ message: OutgoingMessage) -> Bool {
        message.channel == .push && message.platform == .ios
    }

    func deliver(_ message: OutgoingMessage) -> ProviderAnswer {
        let token: String
        do { token = try signer.token() } catch {
            return ProviderAnswer(.configuration, status: "jwt", detail: "cannot sign the provider token: \(error)")
        }
        return transport.post(baseURL + "/3/device/" + message.address, headers: headers(message, token: token),
                              body: Self.payload(message), classify: Self.classify)
    }

    /// The request headers. apns-id is derived from the message so a retry carries the same id;
    /// apns-collapse-id is the event's key, so the same event sent twice (a retry after a reply
    /// that was lost) shows once on the device.
    func headers(_ message: OutgoingMessage, token: String) -> [(String, String)] {
        [
            ("authorization", "bearer " + token),
            ("apns-topic", topic),
            ("apns-push-type", "alert"),
            ("apns-priority", "10"),
            ("apns-id", Self.apnsId(message)),
            ("apns-collapse-id", headerValue(message.key).prefix(utf8Bytes: 64)),
            ("apns-expiration", String(Int(message.createdAt.timeIntervalSince1970) + 86_400)),
            ("content-type", "application/json"),
        ]
    }

    /// The JSON payload: an alert with the title and body, threaded by kind, and the link
    /// beside `aps` for the app to open.
    static func payload(_ message: OutgoingMessage) -> Data {
        struct Alert: Encodable { let title: String, body: String }
        struct APS: Encodable {
            let alert: Alert
            let sound = "default"
            let threadId: String
            enum CodingKeys: String, CodingKey { case alert, sound, threadId = "thread-id" }
        }
        struct Payload: Encodable { let aps: APS, link: String? }
        return jsonBody(Payload(aps: APS(alert: Alert(title: message.title, body: message.body), threadId: message.kind),
                                link: message.link))
    }

    /// A UUID (version 8, name-based over SHA-256 as RFC 9562 shows) of the message's id and
    /// key: the same for every attempt, different across messages.
    static func apnsId(_ message: OutgoingMessage) -> String {
        var bytes = Array(SHA256.hash(data: Data("cairn-apns|\(message.id)|\(message.key)".utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x80
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }.joined(separator: "-")
    }

    /// APNs' answer, with its `reason` as the detail: 410 Unregistered and 400 BadDeviceToken
    /// mean the token is gone; 403 is a bad or expired provider token (our key); 429 and 5xx
    /// are retried, honouring Retry-After; any other 4xx refuses this message for good.
    static func classify(_ reply: HTTPReply) -> ProviderAnswer {
        struct Failure: Decodable { let reason: String? }
        let reason = reply.decode(Failure.self)?.reason ?? ""
        let outcome: DeliveryOutcome = switch reply.status {
        case 200..<300: .delivered
        case 410: .addressInvalid
        case 400 where reason == "BadDeviceToken": .addressInvalid
        case 403: .configuration
        case 429, 500...599: .retry
        default: .drop
        }
        return ProviderAnswer(outcome, status: reply.code, detail: reason,
                              retryAfter: outcome == .retry ? reply.retryAfter : nil)
    }
}
