import DriveEngine

/// The Shared with me and Shared by me views: the engine's sharing overview (what others share
/// with this user, what this user shares) and a cursor on each list. Value type, Sendable;
/// changed only by the reducer.
///
/// The overview also answers "which role do I have here?" for paths under `/shared`, so it is
/// loaded at start and after every change, whichever view is shown.
public struct SharingState: Equatable, Sendable {
    /// The last overview loaded, or `nil` before the first arrives.
    public private(set) var overview: SharingOverview?
    /// The selected row of Shared with me.
    public var withMeCursor = ListCursor()
    /// The selected row of Shared by me.
    public var byMeCursor = ListCursor()
    /// Whether a view of it is waiting for its first overview.
    public var isLoading = false

    /// Nothing loaded yet.
    public init() {}

    /// Items shared with this user, as `/shared` lists them (by name).
    public var withMe: [SharedEntry] { overview?.sharedWithMe ?? [] }
    /// This user's shares, by path, then user.
    public var byMe: [OutgoingShare] { overview?.sharedByMe ?? [] }

    /// The selected row of Shared with me.
    public var selectedWithMe: SharedEntry? {
        withMe.indices.contains(withMeCursor.selected) ? withMe[withMeCursor.selected] : nil
    }

    /// The selected row of Shared by me.
    public var selectedByMe: OutgoingShare? {
        byMe.indices.contains(byMeCursor.selected) ? byMe[byMeCursor.selected] : nil
    }

    /// The item shared with this user as `/shared/<name>`.
    public func sharedEntry(named name: String) -> SharedEntry? {
        withMe.first { $0.name == name }
    }

    /// This user's shares of item `id`, by user name.
    public func shares(of id: Int64?) -> [OutgoingShare] {
        guard let id else { return [] }
        return byMe.filter { $0.item.id == id }.sorted { $0.userName < $1.userName }
    }

    /// Takes a new overview, keeping each cursor on the same row's item (and user) when it is
    /// still there.
    public mutating func set(_ newOverview: SharingOverview, visibleRows: Int) {
        let keptWithMe = selectedWithMe?.item.id
        let keptByMe = selectedByMe.map { ($0.item.id, $0.userName) }
        overview = newOverview
        isLoading = false
        if let row = withMe.firstIndex(where: { $0.item.id == keptWithMe }) {
            withMeCursor.select(row, count: withMe.count, visibleRows: visibleRows)
        } else {
            withMeCursor.clamp(count: withMe.count, visibleRows: visibleRows)
        }
        if let keptByMe, let row = byMe.firstIndex(where: { $0.item.id == keptByMe.0 && $0.userName == keptByMe.1 }) {
            byMeCursor.select(row, count: byMe.count, visibleRows: visibleRows)
        } else {
            byMeCursor.clamp(count: byMe.count, visibleRows: visibleRows)
        }
    }
}
