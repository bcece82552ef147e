import Foundation
import Notifier

/// Sends Android push notifications through Firebase Cloud Messaging's HTTP v1 API.
///
/// ```
/// [fcm]
/// project = my-firebase-project
/// token = ya29....               # an OAuth 2 access token, or:
/// token-file = /run/cairn/fcm-token   # re-read for every message (a refresher rewrites it)
/// url = https://fcm.googleapis.com
/// timeout = 10
/// ```
struct FCMProvider: NotificationProvider {
    /// Where the bearer token comes from: access tokens live an hour, so a long-running host
    /// names a file that another process keeps fresh.
    enum Credential: Sendable {
        case token(String)
        case file(String)
    }

    let channel = Channel.push
    let endpoint: String
    let credential: Credential
    let transport: HTTPTransport

    init(_ section: ProviderSection) throws(NotifierError) {
        let project = try section.required("project", "the Firebase project id")
        guard let escaped = project.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) else {
            throw section.error("project", "'\(project)' cannot be part of a URL")
        }
        endpoint = try section.baseURL("https://fcm.googleapis.com") + "/v1/projects/\(escaped)/messages:send"
        if let token = section.optional("token") {
            credential = .token(token)
        } else if let path = section.optional("token-file") {
            _ = try section.file("token-file", "a file holding an OAuth 2 access token")
            credential = .file(path)
        } else {
            throw section.error("token", "missing (an OAuth 2 access token, or token-file naming a file with one)")
        }
        transport = HTTPTransport(timeout: try section.timeout(), tls: nil)
    }

    func handles(_ message: OutgoingMessage) -> Bool {
        message.channel == .push && message.platform == .android
    }

    func deliver(_ message: OutgoingMessage) -> ProviderAnswer {
        guard let token = bearerToken() else {
            return ProviderAnswer(.configuration, status: "no token", detail: "the FCM token file is unreadable or empty")
        }
        let headers = [("authorization", "Bearer " + token), ("content-type", "application/json")]
        return transport.post(endpoint, headers: headers, body: Self.payload(message), classify: Self.classify)
    }

    /// The access token now: the configured one, or the token file's current contents.
    private func bearerToken() -> String? {
        switch credential {
        case .token(let token): return token
        case .file(let path):
            let token = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return token?.isEmpty == false ? token : nil
        }
    }

    /// The v1 message: a notification for the system tray, and data (strings only, as FCM
    /// requires) for the app to act on.
    static func payload(_ message: OutgoingMessage) -> Data {
        struct Notification: Encodable { let title: String, body: String }
        struct Message: Encodable { let token: String, notification: Notification, data: [String: String] }
        struct Envelope: Encodable { let message: Message }
        var data = ["kind": message.kind, "key": message.key]
        data["link"] = message.link
        return jsonBody(Envelope(message: Message(token: message.address,
                                                  notification: Notification(title: message.title, body: message.body),
                                                  data: data)))
    }

    /// FCM's answer. 404, or an error whose details say UNREGISTERED (status NOT_FOUND or
    /// UNREGISTERED), means the token is gone; 400 INVALID_ARGUMENT refuses the message; 401/403
    /// are our credentials; 429 and 5xx are retried, honouring Retry-After.
    static func classify(_ reply: HTTPReply) -> ProviderAnswer {
        let error = reply.decode(FCMFailure.self)?.error
        let codes = (error?.details ?? []).compactMap(\.errorCode) + [error?.status].compactMap { $0 }
        let unregistered = reply.status == 404 || codes.contains("UNREGISTERED") || codes.contains("NOT_FOUND")
        let outcome: DeliveryOutcome = switch reply.status {
        case 200..<300: .delivered
        case _ where unregistered: .addressInvalid
        case 401, 403: .configuration
        case 429, 500...599: .retry
        default: .drop
        }
        let words = ([codes.first] + [error?.message]).compactMap { $0 }.joined(separator: ": ")
        return ProviderAnswer(outcome, status: reply.code, detail: words.isEmpty ? reply.text : words,
                              retryAfter: outcome == .retry ? reply.retryAfter : nil)
    }
}

/// FCM's error body: `{"error": {"code", "message", "status", "details": [{"errorCode"}]}}`.
private struct FCMFailure: Decodable {
    struct Detail: Decodable { let errorCode: String? }
    struct Body: Decodable { let status: String?, message: String?, details: [Detail]? }
    let error: Body?
}
