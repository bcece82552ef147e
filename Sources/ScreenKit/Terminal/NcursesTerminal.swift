import CNcurses
import Foundation

/// The real terminal, through ncursesw.
///
/// Starting it sets the locale (falling back to C.UTF-8), enters raw mode (Ctrl-C and
/// Ctrl-Z arrive as keys; the app decides), turns off echo and newline translation, enables
/// the keypad and the mouse, and sets up colour unless `NO_COLOR` is set or the terminal
/// has none (then only attributes are drawn). The terminal is restored with `endwin` by
/// ``shutdown()``, at process exit, and on SIGINT, SIGTERM, SIGHUP, SIGQUIT and crash
/// signals (SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGTRAP), which are then re-raised.
///
/// Main actor: ncurses is not thread-safe, and only one instance may be running at a time.
@MainActor
public final class NcursesTerminal: Terminal {
    /// Why the terminal could not start.
    public enum StartError: Error, Equatable, Sendable {
        /// Standard input or output is not a terminal (piped, redirected, or in CI).
        case notATerminal
        /// ncurses knows no terminal description for `TERM` (the value is attached).
        case unknownTerminalType(String)
    }

    /// Colours in the palette this terminal uses: 0 when drawing attributes only.
    public let paletteSize: Int
    /// Whether the terminal's own default colours can be used (`use_default_colors`).
    public let hasDefaultColors: Bool
    /// Whether the process locale is UTF-8 (if not, non-ASCII text is drawn as "?").
    public let isUTF8: Bool
    /// Whether ncurses owns the screen (false after ``shutdown()`` or ``suspend()``).
    public private(set) var isActive = false

    private var colorPairs = ColorPairTable(limit: 0)
    private var cursor: Position?
    private var lookahead: [InputEvent] = []
    private let maxScalarsPerCell = Int(cn_cchar_max())
    var inputNotifier: InputNotifier?

    /// Takes over the terminal on standard input and output.
    ///
    /// - Parameter environment: consulted for `NO_COLOR` and `TERM`.
    /// - Throws: ``StartError`` when there is no usable terminal; nothing has changed then.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(StartError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw .notATerminal
        }
        isUTF8 = cn_setup_locale() == 1
        // Before newterm: ncurses then leaves SIGINT/SIGTERM to us instead of installing its own.
        cn_install_restore_handlers()
        guard cn_start_screen() == 0 else {
            throw .unknownTerminalType(environment["TERM"] ?? "")
        }
        isActive = true
        _ = cn_raw()
        _ = cn_noecho()
        _ = cn_nonl()
        _ = cn_keypad(1)
        _ = cn_set_escdelay(25)  // Escape alone must feel instant; sequences arrive within 25 ms
        _ = cn_curs_set(0)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty  // https://no-color.org
        if !noColor && cn_has_colors() == 1 && cn_start_color() == OK {
            hasDefaultColors = cn_use_default_colors() == OK
            paletteSize = Int(cn_colors())
            colorPairs = ColorPairTable(limit: Int(cn_color_pairs()))
        } else {
            hasDefaultColors = false
            paletteSize = 0
        }
        _ = cn_enable_mouse()
    }

    /// Leaves curses mode for good: the screen, cursor and modes are as before start.
    /// Idempotent; call it before the process exits normally.
    public func shutdown() {
        inputNotifier?.cancel()
        inputNotifier = nil
        guard isActive else { return }
        _ = cn_endwin()
        isActive = false
    }

    public var size: TerminalSize {
        TerminalSize(width: Int(cn_width()), height: Int(cn_height()))
    }

    public func draw(_ runs: [CellRun]) {
        for run in runs {
            for (offset, cell) in run.cells.enumerated() where !cell.isContinuation {
                drawCell(cell, row: run.row, column: run.column + offset)
            }
        }
    }

    public func clear() {
        _ = cn_erase()
        _ = cn_clear_on_refresh()
    }

    public func setCursor(_ position: Position?) {
        cursor = position
    }

    public func flush() {
        if let cursor {
            _ = cn_move(Int32(cursor.row), Int32(cursor.column))
            _ = cn_curs_set(1)
        } else {
            _ = cn_curs_set(0)
        }
        _ = cn_refresh()
    }

    public func readEvent(timeoutMs: Int) -> InputEvent? {
        if !lookahead.isEmpty { return lookahead.removeFirst() }
        while true {
            guard let event = readDecoded(timeoutMs: timeoutMs) else { return nil }
            guard let event else { continue }  // input that means nothing here
            guard case .key(.character(var character)) = event else { return event }
            // A cluster arrives one code point at a time: glue on what follows at once.
            while let next = readDecoded(timeoutMs: 0) {
                if case .key(.character(let following))? = next,
                    following.unicodeScalars.count == 1,
                    let combined = InputDecoder.combining(character, with: following.unicodeScalars.first!)
                {
                    character = combined
                } else {
                    if let next { lookahead.append(next) }
                    break
                }
            }
            return .key(.character(character))
        }
    }

    public func suspend() {
        guard isActive else { return }
        _ = cn_endwin()
        isActive = false
    }

    public func restore() {
        guard !isActive else { return }
        isActive = true
        _ = cn_clear_on_refresh()
        _ = cn_refresh()
    }

    /// One `get_wch` result, decoded: `nil` when nothing arrived in time, `.some(nil)` for
    /// input without meaning.
    private func readDecoded(timeoutMs: Int) -> InputEvent?? {
        cn_timeout(Int32(clamping: timeoutMs))
        var code: UInt32 = 0
        switch cn_get_wch(&code) {
        case Int32(CN_INPUT_CHARACTER):
            return .some(InputDecoder.decode(.character(code)))
        case Int32(CN_INPUT_FUNCTION_KEY):
            let key = Int32(bitPattern: code)
            var mouse: RawMouse?
            if key == KEY_MOUSE {
                var x: Int32 = 0
                var y: Int32 = 0
                var state: UInt32 = 0
                if cn_get_mouse(&x, &y, &state) == 0 {
                    mouse = RawMouse(x: Int(x), y: Int(y), buttonState: state)
                }
            }
            return .some(InputDecoder.decode(.functionKey(key), mouse: mouse, size: size))
        default:
            return nil
        }
    }

    private func drawCell(_ cell: Cell, row: Int, column: Int) {
        let attributes = attributeBits(cell.style.attributes)
        let pair = colorPairs.pair(for: cell.style, paletteSize: paletteSize, defaultColors: hasDefaultColors)
        let pieces = TerminalGlyph.pieces(for: cell, maxScalars: maxScalarsPerCell) { Int(cn_wcwidth($0.value)) }
        for piece in pieces {
            let values = piece.scalars.map(\.value)
            _ = values.withUnsafeBufferPointer { buffer in
                cn_put_cell(
                    Int32(row), Int32(column + piece.offset), buffer.baseAddress, Int32(buffer.count),
                    attributes, Int32(pair))
            }
        }
    }

    private func attributeBits(_ attributes: Attributes) -> UInt32 {
        var bits = cn_a_normal()
        if attributes.contains(.bold) { bits |= cn_a_bold() }
        if attributes.contains(.dim) { bits |= cn_a_dim() }
        if attributes.contains(.underline) { bits |= cn_a_underline() }
        if attributes.contains(.reverse) { bits |= cn_a_reverse() }
        if attributes.contains(.italic) { bits |= cn_a_italic() }
        return bits
    }
}
