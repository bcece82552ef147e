import Foundation
import GRDB

/// A place a queued channel sends to.
struct Address: Sendable {
    var address: String
    var platform: PushPlatform?
    var secret: String?
}

/// A push token or webhook a recipient registered.
public struct RegisteredAddress: Sendable, Equatable, Codable {
    public var id: Int64
    public var recipientId: Int64
    public var channel: Channel
    public var platform: PushPlatform?
    public var address: String
    /// The webhook's signing secret (webhooks only).
    public var secret: String?
    public var createdAt: Date
    /// Set when a provider said the address is gone (APNs 410, FCM UNREGISTERED).
    public var disabledAt: Date?
    public var disabledReason: String?
}

extension Notifier {
    /// Where `channel` reaches `recipient`: the email or phone the host gave, or the live
    /// registered tokens and webhooks.
    func addresses(_ db: Database, _ recipient: Recipient, _ channel: Channel) throws -> [Address] {
        switch channel {
        case .inbox: return []
        case .email: return recipient.email.map { [Address(address: $0)] } ?? []
        case .sms: return recipient.phone.map { [Address(address: $0)] } ?? []
        case .push, .webhook:
            return try Row.fetchAll(db.cachedStatement(sql: """
                SELECT address, platform, secret FROM notifyAddress WHERE recipientId = ? AND channel = ? AND disabledAt IS NULL ORDER BY id
                """), arguments: [recipient.id, channel]).map {
                Address(address: $0["address"], platform: ($0["platform"] as String?).flatMap(PushPlatform.init(rawValue:)), secret: $0["secret"])
            }
        }
    }

    /// Registers a push token for `recipient`. A token is 16–512 characters of letters, digits
    /// and `-_:.` (APNs tokens are 64 hex digits; FCM's are longer and carry ':' and '-').
    @discardableResult
    public func addPushToken(_ token: String, platform: PushPlatform, for recipient: Int64) throws(NotifierError) -> RegisteredAddress {
        if platform == .ios, !(token.count == 64 && token.allSatisfy(\.isHexDigit)) {
            throw NotifierError(.invalidArgument, "token add", token, "not an APNs device token: expected 64 hex digits")
        }
        let allowed = token.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_:.".unicodeScalars.contains($0) }
        guard (16...512).contains(token.count), allowed else {
            throw NotifierError(.invalidArgument, "token add", token,
                                "not an FCM registration token: expected 16–512 letters, digits, '-', '_', ':' or '.'")
        }
        return try register(channel: .push, address: token, platform: platform, secret: nil, for: recipient)
    }

    /// Registers a webhook URL (http or https) for `recipient`, with a new signing secret.
    @discardableResult
    public func addWebhook(_ url: String, for recipient: Int64) throws(NotifierError) -> RegisteredAddress {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false else {
            throw NotifierError(.invalidArgument, "webhook add", url, "not an http(s) URL")
        }
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: 0...255, using: &random) }
        return try register(channel: .webhook, address: url, platform: nil, secret: "whsec_" + Data(bytes).base64EncodedString(), for: recipient)
    }

    private func register(channel: Channel, address: String, platform: PushPlatform?, secret: String?,
                          for recipient: Int64) throws(NotifierError) -> RegisteredAddress {
        let now = clock()
        return try write("\(channel.rawValue) add") { db in
            // Adding a disabled address again brings it back (a reinstalled app's token).
            try db.execute(sql: """
                INSERT INTO notifyAddress (recipientId, channel, platform, address, secret, createdAt) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (recipientId, channel, address) DO UPDATE SET disabledAt = NULL, disabledReason = NULL, platform = excluded.platform
                """, arguments: [recipient, channel, platform, address, secret, now.timeIntervalSince1970])
            return try Self.fetchAddresses(db, recipient: recipient, channel: channel).first { $0.address == address }!
        }
    }

    /// The push tokens or webhooks `recipient` registered, disabled ones included.
    public func registeredAddresses(for recipient: Int64, channel: Channel) throws(NotifierError) -> [RegisteredAddress] {
        try read("\(channel.rawValue) list") { db in try Self.fetchAddresses(db, recipient: recipient, channel: channel) }
    }

    static func fetchAddresses(_ db: Database, recipient: Int64, channel: Channel) throws -> [RegisteredAddress] {
        try Row.fetchAll(db, sql: "SELECT * FROM notifyAddress WHERE recipientId = ? AND channel = ? ORDER BY id",
                         arguments: [recipient, channel]).map { row in
            RegisteredAddress(id: row["id"], recipientId: row["recipientId"], channel: channel,
                              platform: (row["platform"] as String?).flatMap(PushPlatform.init(rawValue:)), address: row["address"],
                              secret: row["secret"], createdAt: Date(timeIntervalSince1970: row["createdAt"]),
                              disabledAt: (row["disabledAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
                              disabledReason: row["disabledReason"])
        }
    }

    /// Removes a token or webhook (by its address or its id); `notFound` when `recipient` has none such.
    public func removeAddress(_ address: String, channel: Channel, for recipient: Int64) throws(NotifierError) {
        let removed = try write("\(channel.rawValue) remove") { db -> Int in
            try db.execute(sql: "DELETE FROM notifyAddress WHERE recipientId = ? AND channel = ? AND (address = ? OR CAST(id AS TEXT) = ?)",
                           arguments: [recipient, channel, address, address])
            return db.changesCount
        }
        if removed == 0 {
            throw NotifierError(.notFound, "\(channel == .push ? "token" : "webhook") remove", address, "no such \(channel == .push ? "token" : "webhook")",
                                hint: "see the list command")
        }
    }

    /// Marks `address` disabled after a provider called it invalid; messages to it stop.
    func disable(_ db: Database, recipient: Int64, channel: Channel, address: String, reason: String) throws {
        try db.execute(sql: """
            UPDATE notifyAddress SET disabledAt = ?, disabledReason = ? WHERE recipientId = ? AND channel = ? AND address = ? AND disabledAt IS NULL
            """, arguments: [clock().timeIntervalSince1970, reason, recipient, channel, address])
    }
}
