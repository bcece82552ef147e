import Foundation

/// One notification as the Inbox view shows it: the notifier's inbox entry less what the view
/// has no use for, with its link parsed. Value type, Sendable.
public struct InboxRow: Equatable, Sendable {
    /// The notifier's id of the entry (what marking and archiving name).
    public var id: Int64
    /// What happened, in the engine's words ("put", "share", "trash").
    public var kind: String
    /// One line: "bob edited report.txt".
    public var title: String
    /// A sentence more: "bob saved version 2 of /report.txt."
    public var body: String
    /// The item (and version) it is about, if it leads anywhere.
    public var link: NotificationLink?
    /// When it was made.
    public var createdAt: Date
    /// Whether it was read.
    public var isRead: Bool

    /// Creates a row.
    public init(id: Int64, kind: String, title: String, body: String, link: NotificationLink?, createdAt: Date, isRead: Bool) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = createdAt
        self.isRead = isRead
    }
}

/// Where a notification leads: `cairn:item/ID` or `cairn:item/ID/version/N`, as the engine's
/// fan-out writes them. The item id, not a path: the item may have moved since, and the path
/// this user sees it at is looked up when it is opened. Value type, Sendable.
public struct NotificationLink: Equatable, Sendable {
    /// The item's id.
    public var item: Int64
    /// The version the notification is about, if any.
    public var version: Int?

    /// A link to `item`, at `version`.
    public init(item: Int64, version: Int? = nil) {
        self.item = item
        self.version = version
    }

    /// Parses a link; `nil` for anything else (a link of another service, a malformed one).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 4, parts[0] == "cairn:item", let item = Int64(parts[1]) else { return nil }
        self.item = item
        if parts.count == 4 {
            guard parts[2] == "version", let version = Int(parts[3]) else { return nil }
            self.version = version
        }
    }
}

/// The Inbox view and the top bar's badge: this user's notifications, newest first, filtered
/// by kind in memory; the unread count and the newest id seen. Value type, Sendable; changed
/// only by the reducer.
public struct InboxState: Equatable, Sendable {
    /// The notifications loaded (the archived ones when `showsArchived`), newest first.
    public private(set) var entries: [InboxRow] = []
    /// Those shown: the entries of `kind`, or all of them.
    public private(set) var rows: [InboxRow] = []
    /// Only notifications of this kind are shown; every kind when `nil`.
    public private(set) var kind: String?
    /// The selected row and scroll position.
    public var cursor = ListCursor()
    /// Whether the archive is shown instead of the inbox.
    public var showsArchived = false
    /// Whether the list is being loaded.
    public var isLoading = false
    /// Whether Enter's notification is being looked up, to open it.
    public var isOpening = false
    /// Unread, unarchived notifications: the badge. `nil` until first counted.
    public var unread: Int?
    /// The newest notification id the last count saw; `nil` until first counted.
    public var newestID: Int64?
    /// The newest id announced in the status line, or there when the app started: newer ones
    /// are news.
    public var announcedThrough: Int64 = 0

    /// Nothing loaded yet.
    public init() {}

    /// The selected row.
    public var selected: InboxRow? {
        rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil
    }

    /// The kinds the loaded notifications have, sorted: what the kind filter cycles through.
    public var kinds: [String] {
        Set(entries.map(\.kind)).sorted()
    }

    /// Replaces the list, keeping the selection on the same notification when it is still there.
    public mutating func setEntries(_ newEntries: [InboxRow], visibleRows: Int) {
        let keep = selected?.id
        entries = newEntries
        isLoading = false
        rebuildRows(keeping: keep, visibleRows: visibleRows)
    }

    /// Shows the next kind of `kinds` (after the last, every kind again); returns it.
    @discardableResult
    public mutating func cycleKind(visibleRows: Int) -> String? {
        let all = kinds
        if let current = kind {
            kind = all.first { $0 > current }
        } else {
            kind = all.first
        }
        cursor = ListCursor()
        rebuildRows(keeping: nil, visibleRows: visibleRows)
        return kind
    }

    /// Marks notification `id` read or unread in the list.
    public mutating func setRead(_ id: Int64, _ read: Bool) {
        for index in entries.indices where entries[index].id == id { entries[index].isRead = read }
        for index in rows.indices where rows[index].id == id { rows[index].isRead = read }
    }

    /// Marks every notification in the list read.
    public mutating func setAllRead() {
        for index in entries.indices { entries[index].isRead = true }
        for index in rows.indices { rows[index].isRead = true }
    }

    /// Takes notification `id` out of the list (archived, or back from the archive).
    public mutating func remove(_ id: Int64, visibleRows: Int) {
        entries.removeAll { $0.id == id }
        rows.removeAll { $0.id == id }
        cursor.clamp(count: rows.count, visibleRows: visibleRows)
    }

    private mutating func rebuildRows(keeping keep: Int64?, visibleRows: Int) {
        rows = kind.map { kind in entries.filter { $0.kind == kind } } ?? entries
        if let keep, let row = rows.firstIndex(where: { $0.id == keep }) {
            cursor.select(row, count: rows.count, visibleRows: visibleRows)
        } else {
            cursor.clamp(count: rows.count, visibleRows: visibleRows)
        }
    }
}
