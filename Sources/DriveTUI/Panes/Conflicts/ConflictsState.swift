import DriveEngine

/// The Conflicts view: edits kept beside their file's head, open ones first (with `showsResolved`,
/// the resolved ones too, as `cairn conflicts --all`). Value type, Sendable; changed only by the
/// reducer.
public struct ConflictsState: Equatable, Sendable {
    /// The conflicts loaded, in the engine's order: open ones first, oldest first.
    public private(set) var entries: [ConflictInfo] = []
    /// The selected row and scroll position.
    public var cursor = ListCursor()
    /// Whether resolved conflicts are listed too.
    public var showsResolved = false
    /// Whether the list is being loaded.
    public var isLoading = false

    /// Nothing loaded yet.
    public init() {}

    /// The selected conflict.
    public var selected: ConflictInfo? {
        entries.indices.contains(cursor.selected) ? entries[cursor.selected] : nil
    }

    /// How many of the entries are open.
    public var openCount: Int { entries.count { $0.isOpen } }

    /// Replaces the list, keeping the selection on the same conflict when it is still there.
    public mutating func setEntries(_ newEntries: [ConflictInfo], visibleRows: Int) {
        let keep = selected?.id
        entries = newEntries
        isLoading = false
        if let keep, let row = entries.firstIndex(where: { $0.id == keep }) {
            cursor.select(row, count: entries.count, visibleRows: visibleRows)
        } else {
            cursor.clamp(count: entries.count, visibleRows: visibleRows)
        }
    }
}
