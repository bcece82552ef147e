/// One line of text being edited, with a cursor between characters. Value type, Sendable.
///
/// The cursor counts grapheme clusters, so a Hangul syllable or an emoji moves as one.
public struct TextField: Equatable, Sendable {
    /// The text.
    public var text: String
    /// Characters before the cursor.
    public var cursor: Int

    /// A field holding `text` with the cursor at its end.
    public init(_ text: String = "") {
        self.text = text
        self.cursor = text.count
    }

    /// The text before the cursor.
    public var beforeCursor: Substring { text.prefix(cursor) }

    /// Applies one editing step.
    public mutating func apply(_ edit: TextEdit) {
        var characters = Array(text)
        switch edit {
        case .insert(let character):
            characters.insert(character, at: cursor)
            cursor += 1
        case .insertText(let string):
            characters.insert(contentsOf: string, at: cursor)
            cursor += string.count
        case .deleteBackward:
            guard cursor > 0 else { return }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .deleteForward:
            guard cursor < characters.count else { return }
            characters.remove(at: cursor)
        case .left:
            cursor = max(0, cursor - 1)
        case .right:
            cursor = min(characters.count, cursor + 1)
        case .home:
            cursor = 0
        case .end:
            cursor = characters.count
        case .clear:
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .deleteWord:
            var start = cursor
            while start > 0 && characters[start - 1] == " " { start -= 1 }
            while start > 0 && characters[start - 1] != " " && characters[start - 1] != "/" { start -= 1 }
            if start == cursor && start > 0 { start -= 1 }
            characters.removeSubrange(start..<cursor)
            cursor = start
        }
        text = String(characters)
    }
}

/// An editing step in a ``TextField``. Value type, Sendable.
public enum TextEdit: Equatable, Sendable {
    /// Types a character at the cursor.
    case insert(Character)
    /// Types text at the cursor (a completion).
    case insertText(String)
    /// Removes the character before the cursor (Backspace).
    case deleteBackward
    /// Removes the character under the cursor (Delete).
    case deleteForward
    /// Moves the cursor one character left.
    case left
    /// Moves the cursor one character right.
    case right
    /// Moves the cursor to the start.
    case home
    /// Moves the cursor to the end.
    case end
    /// Removes everything before the cursor (Ctrl-U).
    case clear
    /// Removes the word before the cursor (Ctrl-W).
    case deleteWord
}
