import ScreenKit

/// Where a binding applies. The keymap looks through the contexts active in a state, most
/// specific first (see ``Keymap/activeContexts(in:)``).
public enum KeyContext: String, CaseIterable, Hashable, Sendable {
    /// Every view, when no dialog, field or pager has the keyboard.
    case global = "Everywhere"
    /// Any list or scrollable view.
    case list = "Lists"
    /// My Drive.
    case browser = "My Drive"
    /// The Versions view.
    case versions = "Versions"
    /// The Trash view.
    case trash = "Trash"
    /// Shared with me.
    case sharedWithMe = "Shared with me"
    /// Shared by me.
    case sharedByMe = "Shared by me"
    /// The Inbox view.
    case inbox = "Inbox"
    /// The Conflicts view.
    case conflicts = "Conflicts"
    /// The Devices view.
    case devices = "Devices"
    /// The merge screen of a conflict.
    case merge = "Merge screen"
    /// A preview or diff.
    case pager = "Preview and diff"
    /// The Help view (its lists keys scroll it; Everywhere keys apply too).
    case help = "Help"
    /// While typing a filter after `/`.
    case filter = "Filter"
    /// Any text field: filter, prompt, `:` command line.
    case textField = "Text fields"
    /// A prompt asking for a path.
    case prompt = "Prompts"
    /// The share dialog, whatever row has the keyboard.
    case shareDialog = "Share dialog"
    /// The share dialog's role row and share rows (not the user field).
    case shareRows = "Share dialog, on the role or a share"
    /// A yes/no dialog.
    case confirm = "Confirm dialogs"
}

/// One row of the binding table: keys, what they do, where, and when they cannot.
///
/// The one table (``Keymap/bindings``) feeds key handling, the status-bar hints, the Help
/// view and the man page's KEYS section. Sendable.
public struct Binding: Sendable {
    /// Alternative key sequences; most are one key, `o n` is two.
    public var sequences: [[Key]]
    /// What the keys do.
    public var action: Action
    /// The description shown in help and the man page.
    public var summary: String
    /// A short label for the hint line, or `nil` to keep it out of the hints.
    public var hint: String?
    /// Where it applies.
    public var context: KeyContext
    /// Why it cannot run in a state (nothing selected, a transfer running), or `nil` when it can.
    public var disabledReason: @Sendable (AppState) -> String?
    /// Whether this user's role on what it acts on is too low, or `nil` when the role allows it
    /// (or is not known: the engine decides then).
    public var roleDenial: @Sendable (AppState) -> RoleDenial?

    /// Creates a binding.
    public init(
        _ sequences: [[Key]], _ action: Action, _ summary: String, hint: String? = nil,
        in context: KeyContext, disabled: @escaping @Sendable (AppState) -> String? = { _ in nil },
        needs roleDenial: @escaping @Sendable (AppState) -> RoleDenial? = { _ in nil }
    ) {
        self.sequences = sequences
        self.action = action
        self.summary = summary
        self.hint = hint
        self.context = context
        self.disabledReason = disabled
        self.roleDenial = roleDenial
    }

    /// Why it cannot run in `state`: the reason it is disabled, else why the role does not
    /// allow it; `nil` when it can run.
    public func refusal(in state: AppState) -> String? {
        disabledReason(state) ?? roleDenial(state)?.message
    }

    /// The keys as shown to people: "j, ↓" for alternatives, "o n" for a sequence.
    public var keyLabel: String {
        sequences.map { $0.map(KeyLabel.text(for:)).joined(separator: " ") }.joined(separator: ", ")
    }

    /// The first sequence's label, for the hint line.
    public var shortKeyLabel: String {
        sequences.first.map { $0.map(KeyLabel.text(for:)).joined(separator: " ") } ?? ""
    }
}

/// How keys are written in help, hints and the man page. Pure.
public enum KeyLabel {
    /// "j", "Enter", "Ctrl-C", "PgDn", "↓".
    public static func text(for key: Key) -> String {
        switch key {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .home: "Home"
        case .end: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .insert: "Insert"
        case .delete: "Delete"
        case .backspace: "Backspace"
        case .enter: "Enter"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .escape: "Esc"
        case .function(let number): "F\(number)"
        case .ctrl(let character): "Ctrl-\(character.uppercased())"
        }
    }
}
