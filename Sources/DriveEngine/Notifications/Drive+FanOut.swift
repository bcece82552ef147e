import Foundation
import GRDB
import Notifier

/// What one fan-out pass did.
public struct FanOutReport: Sendable, Equatable {
    /// Journal entries read (every one moves the cursor, notified or not).
    public var entries = 0
    /// Inbox rows made.
    public var inboxRows = 0
    /// Queue rows made or folded into a digest: what a short command waits to deliver.
    public var messageIds: [Int64] = []
    /// The journal sequence number the notifier has handled after this pass.
    public var cursor: Int64 = 0

    public init() {}
}

extension Drive {
    /// The journal cursor of the notification fan-out.
    static let notifierCursor = "notifier"

    /// Turns journal entries the notifier has not handled into notifications (the outbox
    /// pattern): for each entry, every person who can see the item (its owner and everyone it is
    /// shared with, through any folder above it) except whoever made the change gets an inbox
    /// row and a message per enabled channel, with the path as they see it. Each batch of
    /// entries and the cursor past it commit in one transaction, so whichever process runs it
    /// (every process that opens the store may), each entry is fanned out exactly once.
    @discardableResult
    public func fanOutNotifications(batch: Int = 500) throws(DriveError) -> FanOutReport {
        var report = FanOutReport()
        // Most commands have nothing to fan out by the time they end (a read, or another process
        // got there first): a read says so without taking the write lock.
        let (latest, cursor) = try read("notify", "fan-out") { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT (SELECT MAX(seq) FROM journal) AS latest, (SELECT seq FROM journalCursor WHERE name = ?) AS cursor
                """), arguments: [Self.notifierCursor])
            return ((row?["latest"] as Int64?) ?? 0, (row?["cursor"] as Int64?) ?? 0)
        }
        report.cursor = cursor
        guard latest > cursor else { return report }
        while true {
            let done = try writeWithoutSync("notify", "fan-out") { db -> Bool in
                let cursor = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM journalCursor WHERE name = ?"),
                                                arguments: [Self.notifierCursor]) ?? 0
                let latest = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM journal")) ?? 0
                report.cursor = cursor
                guard latest > cursor else { return true }
                var cache = FanOutCache()
                // Only the entries that may tell someone are read: a folder put journals every
                // file, and with nothing shared, nobody but its author (who is not told) sees it.
                let anyShare = try cache.anyShare(db)
                let entries = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT \(JournalEntry.columns) FROM journal WHERE seq > ? AND seq <= ? AND NOT (
                        kind IN (\(Self.sql(Self.silentKinds)))
                        OR (NOT ? AND kind IN (\(Self.sql(Self.itemKindsTellingOthers)))
                            AND (ownerId IS NULL OR ownerId = actorId) AND (targetUserId IS NULL OR targetUserId = actorId)))
                    ORDER BY seq LIMIT ?
                    """), arguments: [cursor, latest, anyShare, batch]).map(JournalEntry.init(positional:))
                // A full batch ends at its last entry; a short one has read every entry up to `latest`.
                let last = entries.count == batch ? entries.last!.seq! : latest
                for entry in entries {
                    for recipient in try recipients(db, of: entry, cache: &cache) {
                        let notice = try notice(db, entry, for: recipient, cache: &cache)
                        let made = try notifier.enqueue(db, notice, to: try cache.recipient(db, recipient),
                                                        plan: try cache.plan(db, recipient, notifier))
                        if made.inboxId != nil { report.inboxRows += 1 }
                        report.messageIds += made.messageIds
                    }
                }
                try db.cachedStatement(sql: """
                    INSERT INTO journalCursor (name, seq, updatedAt) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET seq = excluded.seq, updatedAt = excluded.updatedAt
                    """).execute(arguments: [Self.notifierCursor, last, clock().timeIntervalSince1970])
                report.entries += try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM journal WHERE seq > ? AND seq <= ?"),
                                                   arguments: [cursor, last]) ?? 0
                report.cursor = last
                return entries.count < batch
            }
            if done { return report }
        }
    }

    /// Runs `body` in a write transaction whose commit does not wait for the disk
    /// (`synchronous = NORMAL` for this one commit). For derived data only: if power fails, the
    /// commit may be lost, and with it the cursor it moved, so the work is done again from the
    /// journal (a fan-out's inbox rows are keyed by event; a message may be sent twice, never
    /// lost). It saves a WAL fsync per fan-out: the half of a change's way to the inbox.
    func writeWithoutSync<T>(_ operation: String, _ subject: String, _ body: (Database) throws -> T) throws(DriveError) -> T {
        do {
            return try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw DriveError.wrap(error, operation, subject)
        }
    }

    /// The kinds that tell nobody (`recipients`).
    static let silentKinds: [ChangeKind] = [.userAdded, .versionCapChanged, .pinned, .unpinned, .versionsDropped]
    /// The kinds that tell the item's owner, its sharees and the user the entry names, less the
    /// actor (`recipients`): without shares, nobody when the owner and the user named are the actor.
    static let itemKindsTellingOthers: [ChangeKind] = [.folderCreated, .versionAdded, .restored, .moved, .trashed, .untrashed,
                                                        .purged, .transferred]

    /// `'a', 'b', …` for an SQL `IN` list of kinds.
    static func sql(_ kinds: [ChangeKind]) -> String { kinds.map { "'\($0.rawValue)'" }.joined(separator: ", ") }

    /// Who hears of `entry`: for a change to an item, its owner and every user it was shared
    /// with (on it or a folder above) when the change was made, less the actor; a share or
    /// unshare tells the owner and the user it names; a transfer also tells the new owner; a
    /// quota change tells that user. Store-wide changes tell nobody.
    func recipients(_ db: Database, of entry: JournalEntry, cache: inout FanOutCache) throws -> [Int64] {
        var people: [Int64] = []
        switch entry.kind {
        case .userAdded, .versionCapChanged, .pinned, .unpinned, .versionsDropped:
            return []
        case .quotaChanged:
            people = entry.targetUserId.map { [$0] } ?? []
        case .shared, .unshared:
            people = [entry.ownerId, entry.targetUserId].compactMap { $0 }
        case .folderCreated, .versionAdded, .restored, .moved, .trashed, .untrashed, .purged, .conflict, .transferred:
            if let owner = entry.ownerId { people.append(owner) }
            if let item = entry.itemId { people += try cache.sharees(db, of: item, sharedBy: entry.at) }
            if let target = entry.targetUserId { people.append(target) }
        }
        var seen = Set<Int64>()
        // The actor knows what they did, except of a conflict their own write made.
        return people.filter { ($0 != entry.actorId || entry.kind == .conflict) && seen.insert($0).inserted }
    }

    /// The notice of `entry` for `recipient`: the path as they see it, words from the templates.
    func notice(_ db: Database, _ entry: JournalEntry, for recipient: Int64, cache: inout FanOutCache) throws -> Notice {
        let ownPath = DriveSession.visiblePath(of: entry, for: recipient, through: try cache.shareRoots(db, recipient, self))
        let path = ownPath ?? "/" + (entry.path.split(separator: "/").last.map(String.init) ?? "")
        let name = entry.path.split(separator: "/").last.map(String.init) ?? entry.path
        var values = [
            "actor": try entry.actorId.map { try cache.user(db, $0).displayName } ?? "Cairn",
            "path": path, "name": name, "kind": entry.kind.rawValue,
        ]
        if let number = entry.versionNumber { values["version"] = String(number) }
        if let amount = entry.amount { values["amount"] = entry.kind == .quotaChanged ? Self.bytes(amount) : String(amount) }
        if entry.kind == .quotaChanged && entry.amount == nil { values["amount"] = "unlimited" }
        if let role = entry.role { values["role"] = role.rawValue }
        if let target = entry.targetUserId {
            values["whom"] = target == recipient ? "you" : try cache.user(db, target).displayName
        }
        values["verb"] = entry.kind == .versionAdded && entry.versionNumber == 1 ? "added" : "edited"
        var link: String?
        if let item = entry.itemId, ownPath != nil {
            link = "cairn:item/\(item)" + (entry.versionNumber.map { "/version/\($0)" } ?? "")
        }
        let template = Self.templates[entry.kind.rawValue] ?? Template(title: "{actor}: {kind} {name}", body: "{path}")
        return Notice(key: "journal:\(entry.seq!)", kind: entry.kind.rawValue, title: template.title, body: template.body, link: link,
                      digestSubject: entry.kind == .versionAdded ? "\(entry.itemId ?? 0):\(entry.actorId ?? 0)" : nil, values: values)
    }

    static func bytes(_ count: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: count, countStyle: .binary)
    }

    /// The built-in words of each kind (`KIND` for every channel, `KIND.digest` for a digest);
    /// files in `$XDG_CONFIG_HOME/cairn/templates/` override them (see cairn(1), NOTIFICATIONS).
    public static let templates: [String: Template] = [
        "mkdir": Template(title: "{actor} made the folder {name}", body: "{actor} made the folder {path}."),
        "put": Template(title: "{actor} {verb} {name}", body: "{actor} saved version {version} of {path}."),
        "put.digest": Template(title: "{actor} edited {name} {count} times", body: "{actor} saved {count} versions of {path}; the latest is version {version}."),
        "restore": Template(title: "{actor} restored {name}", body: "{actor} restored version {amount} of {path} as version {version}."),
        "move": Template(title: "{actor} moved {name}", body: "{actor} moved {name}; it is now at {path}."),
        "trash": Template(title: "{actor} deleted {name}", body: "{actor} moved {path} to the trash."),
        "untrash": Template(title: "{actor} brought back {name}", body: "{actor} restored {path} from the trash."),
        "purge": Template(title: "{actor} deleted {name} for good", body: "{actor} emptied {path} from the trash ({amount} items)."),
        "share": Template(title: "{actor} shared {name} with {whom}", body: "{actor} shared {path} with {whom} as {role}."),
        "unshare": Template(title: "{actor} stopped sharing {name} with {whom}", body: "{actor} stopped sharing {path} with {whom}."),
        "transfer": Template(title: "{actor} gave {name} to {whom}", body: "{path} now belongs to {whom}."),
        "quota": Template(title: "Your storage quota changed", body: "{actor} set your storage quota to {amount}."),
        "conflict": Template(title: "Conflict on {name}", body: "An edit of {path} by {actor} was made from an older version; it is kept as version {version}."),
    ]
}

/// What a fan-out batch looks up once and uses for many entries: users, their notifier
/// recipients and delivery plans, the items shared with them, and each item's sharees.
struct FanOutCache {
    private var users: [Int64: User] = [:]
    private var plans: [Int64: DeliveryPlan] = [:]
    private var roots: [Int64: [ShareRoot]] = [:]
    private var shares: [Int64: [(user: Int64, since: Double)]] = [:]
    /// Whether the store has any share at all (nil until asked): without one, no item has a
    /// sharee, and a put of a large tree skips a walk up the folders for each of its files.
    private var anyShare: Bool?

    /// Whether the store has any share at all.
    mutating func anyShare(_ db: Database) throws -> Bool {
        if anyShare == nil { anyShare = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM share)") ?? true }
        return anyShare!
    }

    mutating func user(_ db: Database, _ id: Int64) throws -> User {
        if let known = users[id] { return known }
        guard let found = try User.fetchOne(db.cachedStatement(sql: "SELECT * FROM user WHERE id = ?"), arguments: [id]) else {
            throw DriveError(.notFound, "notify", "user \(id)", "no such user")
        }
        users[id] = found
        return found
    }

    mutating func recipient(_ db: Database, _ id: Int64) throws -> Recipient {
        let user = try user(db, id)
        return Recipient(id: id, name: user.name, email: user.email, phone: user.phone)
    }

    mutating func plan(_ db: Database, _ id: Int64, _ notifier: Notifier) throws -> DeliveryPlan {
        if let known = plans[id] { return known }
        let plan = try notifier.plan(db, for: try recipient(db, id))
        plans[id] = plan
        return plan
    }

    /// The items shared with user `id`, for rendering paths as they see them.
    mutating func shareRoots(_ db: Database, _ id: Int64, _ drive: Drive) throws -> [ShareRoot] {
        if let known = roots[id] { return known }
        let found = try DriveSession(drive: drive, user: try user(db, id)).shareRoots(db)
        roots[id] = found
        return found
    }

    /// Everyone `item` was shared with at `date`, directly or through a folder above it (a
    /// share made later does not hear of what happened before it).
    mutating func sharees(_ db: Database, of item: Int64, sharedBy date: Date) throws -> [Int64] {
        guard try anyShare(db) else { return [] }
        if shares[item] == nil {
            shares[item] = try Row.fetchAll(db.cachedStatement(sql: """
                WITH RECURSIVE up(id, parentId) AS (
                    SELECT id, parentId FROM item WHERE id = ?
                    UNION ALL SELECT item.id, item.parentId FROM item JOIN up ON item.id = up.parentId
                ) SELECT share.userId, MIN(share.createdAt) AS since FROM share JOIN up ON share.itemId = up.id
                GROUP BY share.userId ORDER BY share.userId
                """), arguments: [item]).map { ($0["userId"], $0["since"]) }
        }
        return shares[item]!.filter { $0.since <= date.timeIntervalSince1970 }.map(\.user)
    }
}
