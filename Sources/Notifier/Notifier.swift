import Foundation
import GRDB
import Logging

/// Someone a notification is for, as the calling service knows them: the notifier stores no
/// people of its own, only their push tokens, webhooks and preferences, by `id`.
public struct Recipient: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var email: String?
    public var phone: String?

    public init(id: Int64, name: String, email: String? = nil, phone: String? = nil) {
        self.id = id
        self.name = name
        self.email = email
        self.phone = phone
    }
}

/// One event to tell people of.
public struct Notice: Sendable, Equatable {
    /// The caller's idempotency key: the same key never makes a second inbox row or message for
    /// the same recipient, channel and address.
    public var key: String
    /// What happened, in the caller's words ("put", "share"); settings and templates go by it.
    public var kind: String
    /// The words used when no template names the kind (`{name}` placeholders allowed).
    public var title: String
    public var body: String
    /// Where it leads, in the caller's terms; stored and handed back as is.
    public var link: String?
    /// Events with the same digest subject (and recipient and channel) inside the recipient's
    /// digest window become one message: "bob edited report.txt 12 times". Nil: never folded.
    public var digestSubject: String?
    /// Values for the templates' placeholders.
    public var values: [String: String]

    public init(key: String, kind: String, title: String, body: String, link: String? = nil,
                digestSubject: String? = nil, values: [String: String] = [:]) {
        self.key = key
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.digestSubject = digestSubject
        self.values = values
    }
}

/// One recipient's settings and addresses, read once for many events.
public struct DeliveryPlan: Sendable {
    let preferences: Preferences
    /// "channel:kind" (kind "*" for every kind) → on or off.
    let rules: [String: Bool]
    let addresses: [Channel: [Address]]

    /// Whether `channel` is on for `kind`: a rule for the kind wins over one for all kinds; with
    /// neither, every channel is on (a channel without an address sends nothing anyway).
    func isEnabled(_ channel: Channel, kind: String) -> Bool {
        rules["\(channel.rawValue):\(kind)"] ?? rules["\(channel.rawValue):*"] ?? true
    }
}

/// What one `enqueue` made.
public struct EnqueueResult: Sendable, Equatable {
    /// The inbox row, when one was made now (nil when the key was seen before or the inbox is off).
    public var inboxId: Int64?
    /// Queue rows made or folded into (a digest), whose delivery a short command may wait for.
    public var messageIds: [Int64] = []
}

/// The notification system: settings, templates, the inbox and a durable queue per channel in
/// the host's SQLite database. It knows nothing of what the events are about: the host turns its
/// own events into `Notice`s and its users into `Recipient`s.
///
/// Thread-safe; every method may be called from any thread and any process sharing the
/// database. Delivery is `NotifierWorkers`' job.
public final class Notifier: Sendable {
    public let database: DatabasePool
    public let configuration: NotifierConfiguration
    public let templates: TemplateBook
    let clock: @Sendable () -> Date
    /// The delivery log (swift-log, label "cairn.notify"): hosts route it where they like.
    public let log: Logger

    public init(database: DatabasePool, configuration: NotifierConfiguration = NotifierConfiguration(),
                templates: TemplateBook = TemplateBook(builtIn: [:]), clock: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.configuration = configuration
        self.templates = templates
        self.clock = clock
        self.log = Logger(label: "cairn.notify")
    }

    // MARK: Sending

    /// Queues `notice` for each of `recipients` in its own transaction (the service API): an
    /// inbox row, and a message per enabled channel and address. `channels` limits the channels
    /// (nil: all the recipient's settings allow).
    @discardableResult
    public func send(_ notice: Notice, to recipients: [Recipient], channels: Set<Channel>? = nil) throws(NotifierError) -> [EnqueueResult] {
        guard !notice.key.isEmpty else { throw NotifierError(.invalidArgument, "notify send", "the idempotency key is empty") }
        return try write("notify send") { db in
            try recipients.map { try self.enqueue(db, notice, to: $0, channels: channels) }
        }
    }

    /// Queues `notice` for `recipient` inside the caller's transaction (the host's outbox
    /// fan-out runs this in the transaction that advances its cursor, so each event is queued
    /// exactly once). Idempotent per key. `plan` is the recipient's settings and addresses as
    /// `plan(_:for:)` read them in this transaction (a fan-out of many events reads them once).
    public func enqueue(_ db: Database, _ notice: Notice, to recipient: Recipient, plan: DeliveryPlan? = nil,
                        channels: Set<Channel>? = nil) throws -> EnqueueResult {
        let plan = try plan ?? self.plan(db, for: recipient)
        let now = clock()
        var result = EnqueueResult()
        let allowed = { (channel: Channel) -> Bool in
            (channels?.contains(channel) ?? true) && plan.isEnabled(channel, kind: notice.kind)
        }
        if allowed(.inbox) {
            let words = templates.render(kind: notice.kind, channel: .inbox, count: 1, values: notice.values,
                                         fallback: Template(title: notice.title, body: notice.body))
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO notifyInbox (recipientId, key, kind, title, body, link, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [recipient.id, notice.key, notice.kind, words.title, words.body, notice.link,
                                         now.timeIntervalSince1970])
            if db.changesCount > 0 { result.inboxId = db.lastInsertedRowID }
        }
        for channel in Channel.queued where allowed(channel) {
            for address in plan.addresses[channel] ?? [] {
                if let id = try queue(db, notice, recipient, channel, address, plan.preferences, now) { result.messageIds.append(id) }
            }
        }
        return result
    }

    /// `recipient`'s preferences, channel rules and addresses, read in the caller's transaction.
    public func plan(_ db: Database, for recipient: Recipient) throws -> DeliveryPlan {
        var rules: [String: Bool] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT channel, kind, enabled FROM notifyRule WHERE recipientId = ?"),
                                    arguments: [recipient.id]) {
            rules["\(row["channel"] as String):\(row["kind"] as String)"] = row["enabled"]
        }
        var addresses: [Channel: [Address]] = [:]
        for channel in Channel.queued { addresses[channel] = try self.addresses(db, recipient, channel) }
        return DeliveryPlan(preferences: try preferences(db, recipient.id), rules: rules, addresses: addresses)
    }

    /// One queue row for `notice` to `address`, or the digest row it folds into; nil when the
    /// key was queued before.
    private func queue(_ db: Database, _ notice: Notice, _ recipient: Recipient, _ channel: Channel, _ address: Address,
                       _ preference: Preferences, _ now: Date) throws -> Int64? {
        let at = now.timeIntervalSince1970
        let fallback = Template(title: notice.title, body: notice.body)
        var digestKey: String?
        if preference.digestSeconds > 0, let subject = notice.digestSubject {
            let key = "\(recipient.id)|\(channel.rawValue)|\(address.address)|\(notice.kind)|\(subject)"
            digestKey = key
            // An open digest (still queued, inside its window) takes the event in.
            if let open = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT id, count FROM notifyMessage WHERE digestKey = ? AND state = 'queued' AND attempts = 0 AND createdAt > ?
                ORDER BY id DESC LIMIT 1
                """), arguments: [key, at - Double(preference.digestSeconds)]) {
                let id: Int64 = open["id"]
                let count: Int = open["count"] + 1
                let words = templates.render(kind: notice.kind, channel: channel, count: count, values: notice.values, fallback: fallback)
                try db.cachedStatement(sql: "UPDATE notifyMessage SET count = ?, title = ?, body = ?, link = ?, updatedAt = ? WHERE id = ?")
                    .execute(arguments: [count, words.title, words.body, notice.link, at, id])
                return id
            }
        }
        var notBefore = now
        var heldFor: String?
        if digestKey != nil {
            notBefore = now.addingTimeInterval(Double(preference.digestSeconds))
            heldFor = "digest"
        }
        if preference.ratePerHour > 0 {
            // The window holds at most ratePerHour messages: past that, wait for the oldest to age out.
            let recent = try Double.fetchAll(db.cachedStatement(sql: """
                SELECT notBefore FROM notifyMessage WHERE recipientId = ? AND channel = ? AND state != 'dropped' AND notBefore > ?
                ORDER BY notBefore DESC LIMIT ?
                """), arguments: [recipient.id, channel, at - 3600, preference.ratePerHour])
            if recent.count >= preference.ratePerHour, let oldest = recent.last {
                let free = Date(timeIntervalSince1970: oldest + 3600)
                if free > notBefore { notBefore = free; heldFor = "rate limit" }
            }
        }
        if channel.waitsForQuietHours, let end = preference.quietEnd(after: notBefore) {
            notBefore = end
            heldFor = "quiet hours"
        }
        let words = templates.render(kind: notice.kind, channel: channel, count: 1, values: notice.values, fallback: fallback)
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO notifyMessage (recipientId, recipientName, channel, address, platform, secret, key, kind, title,
                body, link, digestKey, state, notBefore, heldFor, createdAt, updatedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)
            """).execute(arguments: [recipient.id, recipient.name, channel, address.address, address.platform, address.secret,
                                     notice.key, notice.kind, words.title, words.body, notice.link, digestKey,
                                     notBefore.timeIntervalSince1970, heldFor, at, at])
        return db.changesCount > 0 ? db.lastInsertedRowID : nil
    }

    // MARK: Database access

    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(NotifierError) -> T {
        do { return try database.write(body) } catch { throw Self.wrap(error, operation) }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(NotifierError) -> T {
        do { return try database.read(body) } catch { throw Self.wrap(error, operation) }
    }

    static func wrap(_ error: any Error, _ operation: String) -> NotifierError {
        if let error = error as? NotifierError { return error }
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_BUSY {
            return NotifierError(.busy, operation, "the store is busy: another cairn is writing to it", hint: "try again in a moment")
        }
        return NotifierError(.io, operation, "\(error)")
    }
}
