import DriveEngine

/// The Versions view: the file whose history is shown and its versions, newest first.
/// Value type, Sendable.
public struct VersionsState: Equatable, Sendable {
    /// The file, or `nil` before one was chosen.
    public var path: DrivePath?
    /// Its versions, newest first.
    public var entries: [VersionEntry] = []
    /// The selected version and scroll position.
    public var cursor = ListCursor()
    /// Whether the list is being loaded.
    public var isLoading = false
    /// Select the head when the next list arrives (after a restore).
    public var selectHeadOnLoad = false
    /// Select this version when the next list arrives (a notification's), if it is still there.
    public var selectOnLoad: Int?

    /// No file chosen.
    public init() {}

    /// The selected version.
    public var selected: VersionEntry? {
        entries.indices.contains(cursor.selected) ? entries[cursor.selected] : nil
    }

    /// The version before `entry` (by number), if the file still has it.
    public func previous(of entry: VersionEntry) -> VersionEntry? {
        entries.filter { $0.version.number < entry.version.number }.max { $0.version.number < $1.version.number }
    }

    /// Replaces the list, keeping the selection on the same version number.
    public mutating func setEntries(_ newEntries: [VersionEntry], visibleRows: Int) {
        let keep = selectHeadOnLoad ? nil : selectOnLoad ?? selected?.version.number
        entries = newEntries
        isLoading = false
        selectHeadOnLoad = false
        selectOnLoad = nil
        let row = keep.flatMap { number in entries.firstIndex { $0.version.number == number } } ?? 0
        cursor.select(row, count: entries.count, visibleRows: visibleRows)
    }
}

/// The Trash view: the user's trashed items, most recent first. Value type, Sendable.
public struct TrashState: Equatable, Sendable {
    /// The trashed items.
    public var entries: [Entry] = []
    /// The selected item and scroll position.
    public var cursor = ListCursor()
    /// Whether the list is being loaded.
    public var isLoading = false

    /// An empty trash view.
    public init() {}

    /// The selected item.
    public var selected: Entry? {
        entries.indices.contains(cursor.selected) ? entries[cursor.selected] : nil
    }
}

/// The Storage view: the store's figures, loaded in the background. Value type, Sendable.
public struct StorageState: Equatable, Sendable {
    /// The figures, or `nil` while loading.
    public var stats: StoreStats?
    /// The biggest files, biggest first (kept apart: `StoreStats` compares without them).
    public var biggest: [BiggestFile] = []
    /// The scroll position of the biggest-files list.
    public var cursor = ListCursor()

    /// Nothing loaded yet.
    public init() {}
}

/// One of the biggest files in the Storage view. Value type, Sendable.
public struct BiggestFile: Equatable, Sendable {
    /// Its drive path.
    public var path: String
    /// Its head version's size.
    public var size: Int64

    /// Creates a row.
    public init(path: String, size: Int64) {
        self.path = path
        self.size = size
    }
}
