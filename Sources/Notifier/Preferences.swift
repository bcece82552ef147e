import Foundation
import GRDB

/// One recipient's delivery preferences: quiet hours, digest window and rate limit.
public struct Preferences: Sendable, Equatable, Codable {
    /// Quiet hours as minutes after midnight in `timeZone` ([start, end), wrapping midnight when
    /// end < start); nil when there are none. Push, SMS and email wait for the end.
    public var quietStart: Int?
    public var quietEnd: Int?
    /// An IANA time zone name ("Asia/Seoul"); nil is UTC.
    public var timeZone: String?
    /// Events about the same thing inside this many seconds become one message (0: off).
    public var digestSeconds: Int
    /// At most this many messages per channel per hour; the rest wait (0: no limit).
    public var ratePerHour: Int

    public init(quietStart: Int? = nil, quietEnd: Int? = nil, timeZone: String? = nil, digestSeconds: Int = 0, ratePerHour: Int = 0) {
        self.quietStart = quietStart
        self.quietEnd = quietEnd
        self.timeZone = timeZone
        self.digestSeconds = digestSeconds
        self.ratePerHour = ratePerHour
    }

    /// When quiet hours hold at `date`, the moment they end; else nil.
    public func quietEnd(after date: Date) -> Date? {
        guard let start = quietStart, let end = quietEnd, start != end else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = parts.hour! * 60 + parts.minute!
        let inside = start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        guard inside else { return nil }
        let midnight = calendar.startOfDay(for: date)
        var endDate = calendar.date(byAdding: .minute, value: end, to: midnight)!
        if endDate <= date { endDate = calendar.date(byAdding: .day, value: 1, to: endDate)! }
        return endDate
    }

    /// "HH:MM" → minutes after midnight, or nil when malformed.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0..<24).contains(hour), (0..<60).contains(minute), parts[1].count == 2 else { return nil }
        return hour * 60 + minute
    }

    /// Minutes after midnight as "HH:MM".
    public static func clock(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}

/// A channel switched on or off for a recipient, for one kind or (`kind == "*"`) for all.
public struct ChannelRule: Sendable, Equatable, Codable {
    public var channel: Channel
    public var kind: String
    public var enabled: Bool

    public init(channel: Channel, kind: String, enabled: Bool) {
        self.channel = channel
        self.kind = kind
        self.enabled = enabled
    }
}

extension Notifier {
    func preferences(_ db: Database, _ recipient: Int64) throws -> Preferences {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM notifyPreference WHERE recipientId = ?"), arguments: [recipient]) else {
            return Preferences()
        }
        return Preferences(quietStart: row["quietStart"], quietEnd: row["quietEnd"], timeZone: row["timeZone"],
                           digestSeconds: row["digestSeconds"], ratePerHour: row["ratePerHour"])
    }

    /// `recipient`'s preferences.
    public func preferences(for recipient: Int64) throws(NotifierError) -> Preferences {
        try read("notify settings") { db in try preferences(db, recipient) }
    }

    /// Replaces `recipient`'s preferences; checks the time zone and the hours.
    public func setPreferences(_ preferences: Preferences, for recipient: Int64) throws(NotifierError) {
        if let zone = preferences.timeZone, TimeZone(identifier: zone) == nil {
            throw NotifierError(.invalidArgument, "notify settings", zone, "not a time zone", hint: "use an IANA name such as Asia/Seoul or UTC")
        }
        if (preferences.quietStart == nil) != (preferences.quietEnd == nil) {
            throw NotifierError(.invalidArgument, "notify settings", "quiet hours", "give both a start and an end")
        }
        guard preferences.digestSeconds >= 0, preferences.ratePerHour >= 0 else {
            throw NotifierError(.invalidArgument, "notify settings", "digest/rate", "must not be negative")
        }
        try write("notify settings") { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO notifyPreference (recipientId, quietStart, quietEnd, timeZone, digestSeconds, ratePerHour)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [recipient, preferences.quietStart, preferences.quietEnd, preferences.timeZone,
                                 preferences.digestSeconds, preferences.ratePerHour])
        }
    }

    /// `recipient`'s channel rules, channel then kind order.
    public func rules(for recipient: Int64) throws(NotifierError) -> [ChannelRule] {
        try read("notify settings") { db in
            try Row.fetchAll(db, sql: "SELECT channel, kind, enabled FROM notifyRule WHERE recipientId = ? ORDER BY channel, kind",
                             arguments: [recipient]).map { ChannelRule(channel: $0["channel"], kind: $0["kind"], enabled: $0["enabled"]) }
        }
    }

    /// Switches `channel` on or off for `kind` (`"*"`: every kind); nil `enabled` removes the rule.
    public func setRule(_ channel: Channel, kind: String, enabled: Bool?, for recipient: Int64) throws(NotifierError) {
        try write("notify settings") { db in
            if let enabled {
                try db.execute(sql: "INSERT OR REPLACE INTO notifyRule (recipientId, channel, kind, enabled) VALUES (?, ?, ?, ?)",
                               arguments: [recipient, channel, kind, enabled])
            } else {
                try db.execute(sql: "DELETE FROM notifyRule WHERE recipientId = ? AND channel = ? AND kind = ?", arguments: [recipient, channel, kind])
            }
        }
    }
}
