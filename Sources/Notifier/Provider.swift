import Foundation

/// One message as a provider sends it: already rendered for its channel and address.
public struct OutgoingMessage: Sendable, Equatable {
    /// The queue row's id: stable across retries (providers use it as the message's own id, so
    /// a receiver can drop a duplicate: Message-ID, webhook-id, apns-id).
    public var id: Int64
    public var channel: Channel
    /// Email address, phone number, push token or webhook URL.
    public var address: String
    /// For push: which service the token belongs to.
    public var platform: PushPlatform?
    /// The webhook's signing secret (`whsec_` + base64), for webhooks only.
    public var secret: String?
    /// The caller's idempotency key for the event (same for every recipient and channel).
    public var key: String
    /// What happened, as the caller names it ("put", "share", "notice").
    public var kind: String
    public var recipientId: Int64
    public var recipientName: String
    public var title: String
    public var body: String
    /// Where the notification leads, in the caller's own terms (opaque to the notifier).
    public var link: String?
    /// How many events a digest message stands for (1 for a plain one).
    public var count: Int
    /// Which attempt this is (1 for the first).
    public var attempt: Int
    public var createdAt: Date

    public init(id: Int64, channel: Channel, address: String, platform: PushPlatform? = nil, secret: String? = nil,
                key: String, kind: String, recipientId: Int64, recipientName: String, title: String, body: String,
                link: String? = nil, count: Int = 1, attempt: Int = 1, createdAt: Date) {
        self.id = id
        self.channel = channel
        self.address = address
        self.platform = platform
        self.secret = secret
        self.key = key
        self.kind = kind
        self.recipientId = recipientId
        self.recipientName = recipientName
        self.title = title
        self.body = body
        self.link = link
        self.count = count
        self.attempt = attempt
        self.createdAt = createdAt
    }
}

/// What a provider's answer means for the message.
public enum DeliveryOutcome: String, Codable, Sendable, CaseIterable {
    /// The provider took it.
    case delivered
    /// A passing failure (timeout, 5xx, 429): try again later.
    case retry
    /// The provider refused this message for good (malformed, too large): do not retry.
    case drop
    /// The address is gone (APNs 410 Unregistered, FCM UNREGISTERED, a bounced address): the
    /// message is dropped and the address disabled.
    case addressInvalid
    /// Our side is misconfigured (no credentials, bad key, 401/403): retried with backoff, since
    /// fixing the config file should let it through, and reported as such in the log.
    case configuration
}

/// A provider's answer to one attempt.
public struct ProviderAnswer: Sendable, Equatable {
    public var outcome: DeliveryOutcome
    /// The provider's own status (an HTTP status, an exit status, "timeout").
    public var status: String
    /// The provider's words, shortened to one line (a reason, an error body).
    public var detail: String
    /// When the provider asked us to wait (Retry-After), in seconds.
    public var retryAfter: TimeInterval?

    public init(_ outcome: DeliveryOutcome, status: String, detail: String = "", retryAfter: TimeInterval? = nil) {
        self.outcome = outcome
        self.status = status
        self.detail = Self.oneLine(detail)
        self.retryAfter = retryAfter
    }

    /// `text` as one line of at most 300 characters.
    static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return flat.count > 300 ? String(flat.prefix(299)) + "…" : flat
    }
}

/// Sends messages of one channel (and, for push, one platform) through one outside service.
///
/// `deliver` is called on a worker's Dispatch queue, never on the main thread, and may block
/// up to its own timeout; it never throws: every failure is an answer.
public protocol NotificationProvider: Sendable {
    /// The channel this provider serves.
    var channel: Channel { get }
    /// Whether it sends `message` (push providers take only their platform's tokens).
    func handles(_ message: OutgoingMessage) -> Bool
    func deliver(_ message: OutgoingMessage) -> ProviderAnswer
}

extension NotificationProvider {
    public func handles(_ message: OutgoingMessage) -> Bool { message.channel == channel }
}

/// Classifies an HTTP status the way every HTTP provider does unless it knows better:
/// 2xx delivered; 408, 429 and 5xx retried; 401/403 a configuration error; 404/410 an invalid
/// address; other 4xx dropped.
public func classifyHTTPStatus(_ status: Int) -> DeliveryOutcome {
    switch status {
    case 200..<300: .delivered
    case 408, 425, 429, 500...599: .retry
    case 401, 403: .configuration
    case 404, 410: .addressInvalid
    default: .drop
    }
}

/// Seconds from a Retry-After header: delta-seconds or an HTTP date.
public func parseRetryAfter(_ value: String?, now: Date = Date()) -> TimeInterval? {
    guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
    if let seconds = Double(value), seconds >= 0 { return seconds }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let date = formatter.date(from: value) else { return nil }
    return max(0, date.timeIntervalSince(now))
}
