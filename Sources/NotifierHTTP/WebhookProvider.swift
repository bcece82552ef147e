import Crypto
import Foundation
import Notifier

/// POSTs each notification as JSON to the recipient's registered URL, signed the Standard
/// Webhooks way (https://www.standardwebhooks.com) so the receiver can tell it came from us,
/// unchanged, recently. Needs no config; `[webhook] timeout` is optional.
struct WebhookProvider: NotificationProvider {
    let channel = Channel.webhook
    let transport: HTTPTransport

    init(_ section: ProviderSection) throws(NotifierError) {
        transport = HTTPTransport(timeout: try section.timeout(), tls: nil)
    }

    func deliver(_ message: OutgoingMessage) -> ProviderAnswer {
        guard let secret = Self.secretBytes(message.secret) else {
            return ProviderAnswer(.drop, status: "no secret", detail: "the webhook has no valid whsec_ signing secret")
        }
        let body = Self.payload(message)
        let id = Self.webhookId(message)
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let headers = [
            ("content-type", "application/json"),
            ("webhook-id", id),
            ("webhook-timestamp", timestamp),
            ("webhook-signature", "v1," + Self.signature(id: id, timestamp: timestamp, body: body, secret: secret)),
        ]
        return transport.post(message.address, headers: headers, body: body, classify: Self.classify)
    }

    /// The event as JSON; `link` is left out when the notice has none.
    static func payload(_ message: OutgoingMessage) -> Data {
        struct Event: Encodable {
            let type: String, key: String, title: String, body: String, link: String?, count: Int, createdAt: String
        }
        return jsonBody(Event(type: message.kind, key: message.key, title: message.title, body: message.body, link: message.link,
                              count: message.count, createdAt: message.createdAt.formatted(.iso8601)))
    }

    /// The same for every attempt at one message, so a receiver drops a retry it already has:
    /// "msg_", the queue row's id and a hash of the event's key (which may hold any character).
    static func webhookId(_ message: OutgoingMessage) -> String {
        let digest = SHA256.hash(data: Data(message.key.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        return "msg_\(message.id)_\(digest)"
    }

    /// The key bytes of a `whsec_` + base64 secret, or nil when it is not one.
    static func secretBytes(_ secret: String?) -> Data? {
        guard let secret, secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))),
              !bytes.isEmpty else { return nil }
        return bytes
    }

    /// base64(HMAC-SHA256(secret, "id.timestamp.body")), Standard Webhooks' v1 signature.
    static func signature(id: String, timestamp: String, body: Data, secret: Data) -> String {
        let signed = Data("\(id).\(timestamp).".utf8) + body
        return Data(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: secret))).base64EncodedString()
    }

    /// The receiver's answer: 2xx delivered; 410 Gone disables the webhook; 408, 429 and 5xx are
    /// retried, honouring Retry-After; anything else (a redirect, another 4xx) refuses it.
    static func classify(_ reply: HTTPReply) -> ProviderAnswer {
        let outcome: DeliveryOutcome = switch reply.status {
        case 200..<300: .delivered
        case 410: .addressInvalid
        case 408, 429, 500...599: .retry
        default: .drop
        }
        return ProviderAnswer(outcome, status: reply.code, detail: outcome == .delivered ? "" : reply.text,
                              retryAfter: outcome == .retry ? reply.retryAfter : nil)
    }
}
