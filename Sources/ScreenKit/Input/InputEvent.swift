/// A key the user pressed. Value type, Sendable.
public enum Key: Hashable, Sendable {
    /// Printable text: one grapheme cluster, any script ("a", "한", "é", "👍").
    case character(Character)
    /// ↑
    case up
    /// ↓
    case down
    /// ←
    case left
    /// →
    case right
    /// Home
    case home
    /// End
    case end
    /// Page Up
    case pageUp
    /// Page Down
    case pageDown
    /// Insert
    case insert
    /// Delete (forward delete)
    case delete
    /// Backspace (DEL, ^H or the terminal's backspace key)
    case backspace
    /// Return or keypad Enter
    case enter
    /// Tab
    case tab
    /// Shift-Tab
    case backTab
    /// Escape
    case escape
    /// F1 … F63 (terminals report shifted F-keys as F13 and up).
    case function(Int)
    /// Ctrl with a letter, lowercased: `.ctrl("c")` for Ctrl-C. Ctrl-Space is `.ctrl(" ")`;
    /// Ctrl-\ ] ^ _ use those characters. Ctrl-H, -I, -J and -M arrive as backspace, tab
    /// and enter, as terminals send the same bytes for them.
    case ctrl(Character)
}

/// A mouse button.
public enum MouseButton: Int, Hashable, Sendable {
    /// The primary (usually left) button.
    case left = 1
    /// The middle button or wheel press.
    case middle = 2
    /// The secondary (usually right) button.
    case right = 3
}

/// What happened with the mouse. Value type, Sendable.
public enum MouseAction: Hashable, Sendable {
    /// A button went down.
    case press(MouseButton)
    /// A button went up.
    case release(MouseButton)
    /// A press and release the terminal library combined into one.
    case click(MouseButton)
    /// Two clicks in quick succession.
    case doubleClick(MouseButton)
    /// The wheel turned away from the user (scroll up).
    case wheelUp
    /// The wheel turned towards the user (scroll down).
    case wheelDown
    /// The pointer moved (reported only by terminals that track motion).
    case move
}

/// A mouse event at a cell. Value type, Sendable.
public struct MouseEvent: Hashable, Sendable {
    /// What happened.
    public var action: MouseAction
    /// Zero-based row of the pointer.
    public var row: Int
    /// Zero-based column of the pointer.
    public var column: Int

    /// Creates a mouse event.
    public init(_ action: MouseAction, row: Int, column: Int) {
        self.action = action
        self.row = row
        self.column = column
    }
}

/// Anything the terminal reports: a key, a mouse event or a new size. Value type, Sendable.
public enum InputEvent: Hashable, Sendable {
    /// A key press.
    case key(Key)
    /// A mouse action.
    case mouse(MouseEvent)
    /// The terminal now has this many columns and rows; the next frame must repaint fully.
    case resize(width: Int, height: Int)

    /// A key event for a printable character.
    public static func character(_ character: Character) -> InputEvent { .key(.character(character)) }

    /// A key event for each character of `text`, as a user typing it would produce.
    public static func typing(_ text: String) -> [InputEvent] { text.map { .key(.character($0)) } }
}
