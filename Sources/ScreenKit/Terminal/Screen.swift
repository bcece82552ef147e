/// Owns the last frame shown on a ``Terminal`` and sends each new frame as a diff.
///
/// The screen is a function of state: build a whole ``ScreenBuffer`` per frame (start from
/// ``makeFrame(style:)``), then ``present(_:)`` it. Only changed cells reach the terminal;
/// after a resize, ``invalidate()`` or ``resume()`` the next frame repaints everything.
/// Main actor, like the terminal it drives.
@MainActor
public final class Screen {
    /// The terminal frames go to.
    public let terminal: any Terminal
    /// The last frame presented, or `nil` when the next one must repaint fully.
    public private(set) var lastFrame: ScreenBuffer?

    /// A screen drawing on `terminal`; the first frame repaints fully.
    public init(terminal: any Terminal) {
        self.terminal = terminal
    }

    /// The terminal's current size.
    public var size: TerminalSize { terminal.size }

    /// A blank frame of the terminal's current size.
    public func makeFrame(style: Style = .plain) -> ScreenBuffer {
        ScreenBuffer(size: terminal.size, style: style)
    }

    /// Shows `frame`: sends the cells that differ from the last frame (all of them after a
    /// resize or invalidation), places the cursor and flushes. Returns the runs sent.
    @discardableResult
    public func present(_ frame: ScreenBuffer) -> [CellRun] {
        let runs: [CellRun]
        if let lastFrame, lastFrame.size == frame.size, lastFrame.size == terminal.size {
            runs = frame.diff(from: lastFrame)
        } else {
            terminal.clear()
            runs = frame.allRuns()
        }
        terminal.draw(runs)
        terminal.setCursor(frame.cursor)
        terminal.flush()
        lastFrame = frame
        return runs
    }

    /// Forgets the last frame so the next ``present(_:)`` repaints every cell.
    public func invalidate() {
        lastFrame = nil
    }

    /// Lets the screen see an input event first: a resize invalidates the frame (handling
    /// the same resize twice is harmless). Returns the event unchanged, for chaining.
    @discardableResult
    public func observe(_ event: InputEvent) -> InputEvent {
        if case .resize = event { invalidate() }
        return event
    }

    /// Reads the next event from the terminal, observing resizes (see ``observe(_:)``).
    public func readEvent(timeoutMs: Int) -> InputEvent? {
        terminal.readEvent(timeoutMs: timeoutMs).map(observe)
    }

    /// Hands the terminal back to the shell (e.g. to run an editor).
    public func suspend() {
        terminal.suspend()
    }

    /// Takes the terminal back after ``suspend()``; the next frame repaints fully.
    public func resume() {
        terminal.restore()
        invalidate()
    }
}
