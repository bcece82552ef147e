import GRDB

/// Where a notification goes. The in-app inbox always receives; the others need an address and
/// go through a durable queue of their own, drained by workers.
public enum Channel: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case inbox, email, push, sms, webhook

    /// The channels with a queue and workers (all but the inbox, which is written directly).
    public static let queued: [Channel] = [.email, .push, .sms, .webhook]

    /// Whether quiet hours hold this channel's messages back (the inbox is never held).
    var waitsForQuietHours: Bool { self == .email || self == .push || self == .sms }
}

/// The kind of device a push token belongs to: iOS tokens go to APNs, Android ones to FCM.
public enum PushPlatform: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case ios, android
}
