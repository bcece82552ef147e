import DriveEngine

/// The share dialog (`s`): a user name with completion, the role to give, and the item's
/// existing shares, each of which can be changed or revoked. Value type, Sendable.
///
/// The rows, top to bottom, are the user field, the role, then one per share; ↓ and ↑ move
/// between them (``focus``).
public struct ShareDialog: Equatable, Sendable {
    /// Which row has the keyboard.
    public enum Focus: Equatable, Sendable {
        /// The user name field.
        case user
        /// The viewer/editor choice.
        case role
        /// The existing share at this index of ``shares``.
        case share(Int)
    }

    /// The item, by its path in this user's drive.
    public var path: DrivePath
    /// The item's id, to find its shares in a new overview.
    public var itemID: Int64?
    /// The user name being typed.
    public var field = TextField()
    /// The role to give.
    public var role: Role = .viewer
    /// The row that has the keyboard.
    public var focus: Focus = .user
    /// Every other user, sorted: what completion picks from.
    public var users: [String]
    /// Candidates from the last Tab, shown under the field.
    public var completions: [String] = []
    /// The item's shares, by user name.
    public var shares: [OutgoingShare]

    /// A dialog for the item at `path` with nobody typed yet.
    public init(path: DrivePath, itemID: Int64?, users: [String], shares: [OutgoingShare]) {
        self.path = path
        self.itemID = itemID
        self.users = users
        self.shares = shares
    }

    /// The users whose name starts with what is typed (ignoring case), for the line under the field.
    public var matchingUsers: [String] {
        let typed = field.text.lowercased()
        return users.filter { $0.lowercased().hasPrefix(typed) }
    }

    /// The share the keyboard is on, if any.
    public var selectedShare: OutgoingShare? {
        guard case .share(let index) = focus, shares.indices.contains(index) else { return nil }
        return shares[index]
    }

    /// Moves the keyboard `rows` down (negative: up), stopping at the first and last rows.
    public mutating func move(by rows: Int) {
        let index = max(0, min(rowIndex + rows, 1 + shares.count))
        focus = index == 0 ? .user : index == 1 ? .role : .share(index - 2)
    }

    /// Keeps the focus on a row that exists after the shares changed.
    public mutating func clampFocus() {
        move(by: 0)
    }

    /// Tab: completes the name to the longest start the matching users share; lists them when
    /// several match. Returns whether anything matched.
    public mutating func complete() -> Bool {
        focus = .user
        let matches = matchingUsers
        completions = matches.count > 1 ? matches : []
        guard let first = matches.first else { return false }
        let completed = matches.count == 1 ? first : Completion.commonPrefix(of: matches)
        if completed.count > field.text.count { field = TextField(completed) }
        return true
    }

    private var rowIndex: Int {
        switch focus {
        case .user: 0
        case .role: 1
        case .share(let index): 2 + index
        }
    }
}

extension Role {
    /// The other role a share can have: viewer ↔ editor.
    var toggled: Role { self == .editor ? .viewer : .editor }
}
