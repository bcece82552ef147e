/// The views of the app, in the order of their number keys (1–9 and 0 jump to them).
public enum ViewID: Int, CaseIterable, Hashable, Sendable {
    /// The file browser.
    case drive = 1
    /// The versions of the file selected in My Drive.
    case versions
    /// Items in the trash.
    case trash
    /// Space used: dedup, compression, biggest files.
    case storage
    /// Every key binding.
    case help
    /// Items other users share with this one (what `/shared` holds), with their roles.
    case sharedWithMe
    /// This user's shares: each item and whom it is shared with, in which role.
    case sharedByMe
    /// This user's notifications: what others did to what they own or share with them.
    case inbox
    /// Edits kept beside their file's head, to keep one side or both, or to merge.
    case conflicts
    /// Local folders kept in sync with the drive: last sync, pending changes, errors.
    case devices

    /// The name shown in the tab row and in help.
    public var title: String {
        switch self {
        case .drive: "My Drive"
        case .versions: "Versions"
        case .trash: "Trash"
        case .storage: "Storage"
        case .help: "Help"
        case .sharedWithMe: "Shared with me"
        case .sharedByMe: "Shared by me"
        case .inbox: "Inbox"
        case .conflicts: "Conflicts"
        case .devices: "Devices"
        }
    }

    /// The name in the tab row when the full names do not fit.
    public var shortTitle: String {
        switch self {
        case .sharedWithMe: "With me"
        case .sharedByMe: "By me"
        default: title
        }
    }

    /// The number key that shows this view: 1–9, then 0 for the tenth.
    public var key: Character { Character(String(rawValue % 10)) }
}

/// Which pane of a view has the keyboard; Tab cycles them.
public enum PaneFocus: Equatable, Sendable {
    /// The main list.
    case list
    /// The details pane beside it.
    case details
}

/// A message in the status line, shown until the next key. Value type, Sendable.
public struct StatusMessage: Equatable, Sendable {
    /// How a message is coloured.
    public enum Kind: Equatable, Sendable {
        /// Neutral.
        case info
        /// Something worked.
        case success
        /// Something failed.
        case error
    }

    /// The text, one line.
    public var text: String
    /// Its kind.
    public var kind: Kind

    /// Creates a message.
    public init(_ text: String, kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}
