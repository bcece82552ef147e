import Foundation
import GRDB

/// One notification in a recipient's in-app inbox.
public struct InboxEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var key: String
    public var kind: String
    public var title: String
    public var body: String
    public var link: String?
    public var createdAt: Date
    public var readAt: Date?
    public var archivedAt: Date?

    public var isRead: Bool { readAt != nil }

    init(row: Row) {
        id = row["id"]
        key = row["key"]
        kind = row["kind"]
        title = row["title"]
        body = row["body"]
        link = row["link"]
        createdAt = Date(timeIntervalSince1970: row["createdAt"])
        readAt = (row["readAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        archivedAt = (row["archivedAt"] as Double?).map(Date.init(timeIntervalSince1970:))
    }
}

extension Notifier {
    /// `recipient`'s inbox, newest first: unarchived entries (or only `archived` ones), only
    /// unread ones when `unreadOnly`, only of `kinds` when given, entries after `afterId` when given.
    public func inbox(for recipient: Int64, unreadOnly: Bool = false, archived: Bool = false, kinds: Set<String>? = nil,
                      afterId: Int64 = 0, limit: Int = 500) throws(NotifierError) -> [InboxEntry] {
        try read("inbox") { db in
            var sql = "SELECT * FROM notifyInbox WHERE recipientId = ? AND id > ? AND archivedAt IS \(archived ? "NOT " : "")NULL"
            var arguments: StatementArguments = [recipient, afterId]
            if unreadOnly { sql += " AND readAt IS NULL" }
            if let kinds {
                sql += " AND kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))"
                for kind in kinds.sorted() { arguments += [kind] }
            }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(InboxEntry.init(row:))
        }
    }

    /// How many unread, unarchived entries `recipient` has, and the newest entry's id (0 for none).
    public func inboxSummary(for recipient: Int64) throws(NotifierError) -> (unread: Int, latestId: Int64) {
        try read("inbox") { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT (SELECT COUNT(*) FROM notifyInbox WHERE recipientId = ?1 AND readAt IS NULL AND archivedAt IS NULL) AS unread,
                       (SELECT MAX(id) FROM notifyInbox WHERE recipientId = ?1) AS latest
                """), arguments: [recipient])
            return (row?["unread"] ?? 0, row?["latest"] ?? 0)
        }
    }

    /// Marks entry `id` read (or unread again); `notFound` when `recipient` has no such entry.
    public func markRead(_ id: Int64, read: Bool = true, for recipient: Int64) throws(NotifierError) {
        try changeInbox(id, recipient, "inbox read", read ? "readAt = COALESCE(readAt, ?)" : "readAt = NULL", read ? [clock().timeIntervalSince1970] : [])
    }

    /// Marks every unread entry of `recipient` read; returns how many.
    @discardableResult
    public func markAllRead(for recipient: Int64) throws(NotifierError) -> Int {
        try write("inbox read") { db in
            try db.execute(sql: "UPDATE notifyInbox SET readAt = ? WHERE recipientId = ? AND readAt IS NULL AND archivedAt IS NULL",
                           arguments: [clock().timeIntervalSince1970, recipient])
            return db.changesCount
        }
    }

    /// Archives entry `id` (it leaves the inbox, read); `unarchive` brings it back.
    public func archive(_ id: Int64, unarchive: Bool = false, for recipient: Int64) throws(NotifierError) {
        let now = clock().timeIntervalSince1970
        try changeInbox(id, recipient, "inbox archive", unarchive ? "archivedAt = NULL" : "archivedAt = ?, readAt = COALESCE(readAt, ?)",
                        unarchive ? [] : [now, now])
    }

    private func changeInbox(_ id: Int64, _ recipient: Int64, _ operation: String, _ assignment: String,
                             _ values: [DatabaseValueConvertible]) throws(NotifierError) {
        let changed = try write(operation) { db -> Int in
            try db.execute(sql: "UPDATE notifyInbox SET \(assignment) WHERE id = ? AND recipientId = ?",
                           arguments: StatementArguments(values + [id, recipient]))
            return db.changesCount
        }
        if changed == 0 {
            throw NotifierError(.notFound, operation, String(id), "no such notification in your inbox", hint: "see 'cairn inbox'")
        }
    }
}
