import DriveEngine

/// The browser's sort order: a column and a direction; folders always come first.
/// Value type, Sendable.
public struct BrowserSort: Equatable, Sendable {
    /// A column to sort by.
    public enum Column: String, CaseIterable, Sendable {
        /// The name, ignoring case.
        case name
        /// The head version's size.
        case size
        /// When the item last changed.
        case modified
        /// Who changed it last.
        case modifiedBy = "modified by"
        /// How many versions it has.
        case versions

        /// The direction a first press sorts in: names A–Z, but biggest, newest, most first.
        public var defaultAscending: Bool { self == .name || self == .modifiedBy }
    }

    /// The column.
    public var column: Column = .name
    /// A–Z / smallest / oldest first when true.
    public var ascending = true

    /// Creates a sort order.
    public init(column: Column = .name, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }

    /// "name ↑".
    public var label: String { "\(column.rawValue) \(ascending ? "↑" : "↓")" }

    /// `indices` of `entries` in this order; ties fall back to the name, so the order is stable.
    /// `foldedNames` are the entries' names lowercased.
    func sorted(_ indices: [Int], of entries: [Entry], foldedNames: [String]) -> [Int] {
        let keys = indices.map { foldedNames[$0] }
        var order = Array(indices.indices)
        order.sort { left, right in
            let a = entries[indices[left]]
            let b = entries[indices[right]]
            if a.item.isFolder != b.item.isFolder { return a.item.isFolder }
            let byColumn = column == .name
                ? (keys[left] == keys[right] ? nil : keys[left] < keys[right])
                : compare(a, b)
            if let byColumn { return ascending ? byColumn : !byColumn }
            if keys[left] != keys[right] { return keys[left] < keys[right] }
            return a.item.name < b.item.name
        }
        return order.map { indices[$0] }
    }

    /// `a < b` by the column, or `nil` when they tie.
    private func compare(_ a: Entry, _ b: Entry) -> Bool? {
        switch column {
        case .name:
            return nil  // compared on precomputed keys
        case .size:
            return a.item.size == b.item.size ? nil : a.item.size < b.item.size
        case .modified:
            return a.item.modifiedAt == b.item.modifiedAt ? nil : a.item.modifiedAt < b.item.modifiedAt
        case .modifiedBy:
            return a.modifiedByName == b.modifiedByName ? nil : a.modifiedByName < b.modifiedByName
        case .versions:
            return a.item.versionCount == b.item.versionCount ? nil : a.item.versionCount < b.item.versionCount
        }
    }
}
