import DriveEngine

/// The My Drive browser: the folder shown, its entries as loaded, and the sorted, filtered
/// rows on screen. Value type, Sendable; changed only by the reducer.
public struct BrowserState: Equatable, Sendable {
    /// The folder being shown.
    public var folder: DrivePath = .root
    /// The folder's entries, in the engine's order.
    public private(set) var entries: [Entry] = []
    /// Indices into `entries` of the rows shown, sorted and filtered.
    public private(set) var rows: [Int] = []
    /// Indices into `entries` in sort order, before filtering.
    private var sorted: [Int] = []
    /// Each entry's name lowercased, for sorting and filtering without folding case per key.
    private var foldedNames: [String] = []
    /// The selected row and scroll position.
    public var cursor = ListCursor()
    /// How rows are sorted.
    public private(set) var sort = BrowserSort()
    /// The filter: only names containing it (ignoring case) are shown.
    public private(set) var filter = ""
    /// The filter being typed after `/`, or `nil`.
    public var filterField: TextField?
    /// Whether the folder is being loaded.
    public var isLoading = true
    /// Whether `entries` are only the first of a big folder (the rest is being loaded).
    public var isPartial = false
    /// The item to select when the next listing arrives (after going up, or a rename).
    public var pendingSelection: PendingSelection?
    /// What the Details pane shows for the selection.
    public var details = DetailsState()

    /// Creates an empty browser at the root.
    public init() {}

    /// The entry on the selected row.
    public var selectedEntry: Entry? {
        rows.indices.contains(cursor.selected) ? entries[rows[cursor.selected]] : nil
    }

    /// The entry on row `index` of the screen list.
    public func entry(atRow index: Int) -> Entry { entries[rows[index]] }

    /// Replaces the entries (a new folder or a refresh), keeping the selection on the same
    /// item when it is still there.
    public mutating func setEntries(_ newEntries: [Entry], visibleRows: Int) {
        let keep = pendingSelection ?? selectedEntry.map { .item($0.item.id) }
        entries = newEntries
        foldedNames = newEntries.map { $0.item.name.lowercased() }
        sorted = sort.sorted(Array(entries.indices), of: entries, foldedNames: foldedNames)
        isLoading = false
        isPartial = false
        rebuildRows(keeping: keep, visibleRows: visibleRows)
        pendingSelection = nil
    }

    /// Sorts by `column`; choosing the current column again reverses the order.
    public mutating func sort(by column: BrowserSort.Column, visibleRows: Int) {
        if sort.column == column {
            sort.ascending.toggle()
        } else {
            sort = BrowserSort(column: column, ascending: column.defaultAscending)
        }
        sorted = sort.sorted(Array(entries.indices), of: entries, foldedNames: foldedNames)
        rebuildRows(keeping: selectedEntry.map { .item($0.item.id) }, visibleRows: visibleRows)
    }

    /// Shows only names containing `text` (ignoring case); the selection stays on its item
    /// while that item still matches.
    public mutating func setFilter(_ text: String, visibleRows: Int) {
        // Typing on narrows the rows already shown instead of searching everything again.
        let narrowing = !filter.isEmpty && text.lowercased().hasPrefix(filter.lowercased())
        filter = text
        rebuildRows(keeping: selectedEntry.map { .item($0.item.id) }, visibleRows: visibleRows, narrowing: narrowing)
    }

    private mutating func rebuildRows(keeping keep: PendingSelection?, visibleRows: Int, narrowing: Bool = false) {
        let needle = filter.lowercased()
        if needle.isEmpty {
            rows = sorted
        } else {
            let names = foldedNames
            let bytes = Array(needle.utf8)
            rows = (narrowing ? rows : sorted).filter { Self.contains(names[$0], bytes) }
        }
        if let keep, let row = rows.firstIndex(where: { keep.matches(entries[$0]) }) {
            cursor.select(row, count: rows.count, visibleRows: visibleRows)
        } else {
            cursor.clamp(count: rows.count, visibleRows: visibleRows)
        }
    }

    /// Whether `text` holds `needle` (UTF-8 bytes). Byte-wise, so filtering 100,000 names
    /// stays within a frame; in valid UTF-8 a match always starts on a character boundary.
    static func contains(_ text: String, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var text = text
        return text.withUTF8 { haystack in
            guard haystack.count >= needle.count else { return false }
            var start = 0
            let last = haystack.count - needle.count
            while start <= last {
                if haystack[start] == first {
                    var offset = 1
                    while offset < needle.count && haystack[start + offset] == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                start += 1
            }
            return false
        }
    }
}

/// Which item to select once a listing arrives. Value type, Sendable.
public enum PendingSelection: Equatable, Sendable {
    /// The item with this id.
    case item(Int64?)
    /// The item with this name.
    case name(String)

    func matches(_ entry: Entry) -> Bool {
        switch self {
        case .item(let id): entry.item.id == id
        case .name(let name): entry.item.name == name
        }
    }
}

/// The Details pane's data for one selected item: the file's versions (head first), loaded
/// in the background. Value type, Sendable.
public struct DetailsState: Equatable, Sendable {
    /// The item the data belongs to.
    public var path: DrivePath?
    /// Its versions, newest first; `nil` while loading (and for folders).
    public var versions: [VersionEntry]?

    /// Nothing loaded.
    public init(path: DrivePath? = nil, versions: [VersionEntry]? = nil) {
        self.path = path
        self.versions = versions
    }
}
