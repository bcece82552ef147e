import Foundation
import Notifier

/// Sends text messages through Twilio's Messages API, or any service that speaks it.
///
/// ```
/// [sms]
/// account = ACxxxxxxxxxxxxxxxx      # the account SID
/// auth-token = xxxxxxxx
/// from = +15005550006               # the sending number
/// url = https://api.twilio.com
/// timeout = 10
/// ```
struct SMSProvider: NotificationProvider {
    let channel = Channel.sms
    let endpoint: String
    let from: String
    let authorization: String
    let transport: HTTPTransport

    init(_ section: ProviderSection) throws(NotifierError) {
        let account = try section.required("account", "the account SID")
        let secret = try section.required("auth-token", "the account's auth token")
        from = try section.required("from", "the sending phone number")
        endpoint = try section.baseURL("https://api.twilio.com") + "/2010-04-01/Accounts/\(Self.formEncoded(account))/Messages.json"
        authorization = "Basic " + Data("\(account):\(secret)".utf8).base64EncodedString()
        transport = HTTPTransport(timeout: try section.timeout(), tls: nil)
    }

    func deliver(_ message: OutgoingMessage) -> ProviderAnswer {
        let text = Self.text(message)
        let form = [("To", message.address), ("From", from), ("Body", text)]
            .map { "\($0)=\(Self.formEncoded($1))" }.joined(separator: "&")
        let headers = [("authorization", authorization), ("content-type", "application/x-www-form-urlencoded")]
        let split = SMSText.segments(text)
        return transport.post(endpoint, headers: headers, body: Data(form.utf8)) { reply in
            var answer = Self.classify(reply)
            if answer.outcome == .delivered, split.segments > 1 {
                answer.detail = "split into \(split.segments) segments (\(split.encoding.rawValue))"
            }
            return answer
        }
    }

    /// The words sent: "title: body" (just the body when there is no title).
    static func text(_ message: OutgoingMessage) -> String {
        message.title.isEmpty ? message.body : message.title + ": " + message.body
    }

    /// `value` percent-encoded for an application/x-www-form-urlencoded body or a URL path
    /// segment: everything but the unreserved characters, so '+' in a phone number stays a '+'.
    static func formEncoded(_ value: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// The service's answer. Error 21211 (an invalid To number) and 21614 (not a mobile number)
    /// mean the address is wrong; another 400 refuses this message; 401/403 are our credentials;
    /// 429 and 5xx are retried, honouring Retry-After.
    static func classify(_ reply: HTTPReply) -> ProviderAnswer {
        struct Failure: Decodable { let code: Int?, message: String? }
        let failure = reply.decode(Failure.self)
        let outcome: DeliveryOutcome = switch reply.status {
        case 200..<300: .delivered
        case _ where failure?.code == 21211 || failure?.code == 21614: .addressInvalid
        case 401, 403: .configuration
        case 429, 500...599: .retry
        default: .drop
        }
        let detail = outcome == .delivered ? "" : [failure?.code.map(String.init), failure?.message].compactMap { $0 }.joined(separator: ": ")
        return ProviderAnswer(outcome, status: reply.code, detail: detail, retryAfter: outcome == .retry ? reply.retryAfter : nil)
    }
}
