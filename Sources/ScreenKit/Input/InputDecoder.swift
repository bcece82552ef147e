import CNcurses

/// One result of ncurses `get_wch`, before decoding. Value type, Sendable.
public enum RawInput: Hashable, Sendable {
    /// `get_wch` returned `OK`: a Unicode code point (controls included).
    case character(UInt32)
    /// `get_wch` returned `KEY_CODE_YES`: an ncurses key code such as `KEY_UP` (0o403).
    case functionKey(Int32)
}

/// The fields of an ncurses `MEVENT` that matter: cell and button-state bits.
public struct RawMouse: Hashable, Sendable {
    /// Zero-based column.
    public var x: Int
    /// Zero-based row.
    public var y: Int
    /// The `bstate` mask (`BUTTON1_PRESSED`, `BUTTON4_PRESSED`, `REPORT_MOUSE_POSITION`, …).
    public var buttonState: UInt32

    /// Creates a raw mouse report.
    public init(x: Int, y: Int, buttonState: UInt32) {
        self.x = x
        self.y = y
        self.buttonState = buttonState
    }
}

/// Turns raw ncurses input into ``InputEvent`` values. Pure: no terminal calls.
public enum InputDecoder {
    /// Decodes one `get_wch` result; `nil` for input with no meaning here (C1 controls,
    /// unknown key codes, a `KEY_MOUSE` without a readable report).
    ///
    /// - Parameters:
    ///   - mouse: the `getmouse` report read right after a `KEY_MOUSE`.
    ///   - size: the terminal size read right after a `KEY_RESIZE`.
    public static func decode(_ raw: RawInput, mouse: RawMouse? = nil, size: TerminalSize? = nil) -> InputEvent? {
        switch raw {
        case .character(let value):
            return decodeCharacter(value).map(InputEvent.key)
        case .functionKey(let code):
            if code == KEY_RESIZE {
                return size.map { .resize(width: $0.width, height: $0.height) }
            }
            if code == KEY_MOUSE {
                return mouse.flatMap(decodeMouse).map(InputEvent.mouse)
            }
            if code > KEY_F0 && code <= KEY_F0 + 63 {
                return .key(.function(Int(code - KEY_F0)))
            }
            return functionKeys[code].map(InputEvent.key)
        }
    }

    /// Decodes a code point read in raw mode: controls become named keys or `.ctrl`.
    public static func decodeCharacter(_ value: UInt32) -> Key? {
        switch value {
        case 0: return .ctrl(" ")
        case 8, 127: return .backspace
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 1...26: return .ctrl(Character(Unicode.Scalar(UInt8(0x60 + value))))
        case 28...31: return .ctrl(Character(Unicode.Scalar(UInt8(0x40 + value))))
        case 0x80...0x9F: return nil
        default:
            return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }

    /// Decodes a mouse report: the wheel wins over buttons, buttons over motion.
    public static func decodeMouse(_ mouse: RawMouse) -> MouseEvent? {
        let state = mouse.buttonState
        func event(_ action: MouseAction) -> MouseEvent {
            MouseEvent(action, row: mouse.y, column: mouse.x)
        }
        if state & cn_button_pressed(4) != 0 { return event(.wheelUp) }
        if state & cn_button_pressed(5) != 0 { return event(.wheelDown) }
        for button in [MouseButton.left, .middle, .right] {
            let number = Int32(button.rawValue)
            if state & cn_button_pressed(number) != 0 { return event(.press(button)) }
            if state & cn_button_released(number) != 0 { return event(.release(button)) }
            if state & cn_button_clicked(number) != 0 { return event(.click(button)) }
            if state & cn_button_double_clicked(number) != 0 { return event(.doubleClick(button)) }
        }
        if state & cn_report_mouse_position() != 0 { return event(.move) }
        return nil
    }

    /// `character` with `scalar` appended, when the two still form one grapheme cluster
    /// (a combining mark, a ZWJ or the next part of a flag typed after its base); else `nil`.
    ///
    /// Terminals deliver a cluster one code point at a time; a reader uses this to put it
    /// back together before reporting a ``Key/character(_:)``.
    public static func combining(_ character: Character, with scalar: Unicode.Scalar) -> Character? {
        var text = String(character)
        text.unicodeScalars.append(scalar)
        return text.count == 1 ? text.first : nil
    }

    private static let functionKeys: [Int32: Key] = [
        KEY_UP: .up, KEY_DOWN: .down, KEY_LEFT: .left, KEY_RIGHT: .right,
        KEY_HOME: .home, KEY_END: .end, KEY_PPAGE: .pageUp, KEY_NPAGE: .pageDown,
        KEY_IC: .insert, KEY_DC: .delete, KEY_BACKSPACE: .backspace, KEY_ENTER: .enter,
        KEY_BTAB: .backTab,
        // Some terminfo entries (screen, older tmux) name Home and End "find" and "select".
        KEY_FIND: .home, KEY_SELECT: .end,
    ]
}
