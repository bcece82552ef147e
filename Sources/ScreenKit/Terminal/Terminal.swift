/// A terminal backend: where frames go and where input comes from.
///
/// Implementations: ``NcursesTerminal`` (the real terminal) and ``MemoryTerminal`` (an
/// in-memory screen with scripted input, for tests). Main actor: a terminal is one global
/// resource and every call into it happens on the UI thread.
///
/// Usual flow per frame: ``draw(_:)`` the runs from ``ScreenBuffer/diff(from:)``, then
/// ``setCursor(_:)``, then ``flush()``. ``Screen`` does this for you.
@MainActor
public protocol Terminal: AnyObject {
    /// The current size in columns and rows.
    var size: TerminalSize { get }

    /// Writes cells into the terminal's pending frame; cells outside ``size`` are clipped.
    /// Nothing is visible until ``flush()``.
    func draw(_ runs: [CellRun])

    /// Blanks the pending frame and makes the next ``flush()`` repaint every cell, so a
    /// screen garbled by a resize or another program is redrawn from scratch.
    func clear()

    /// Shows the text cursor at a position, or hides it when `nil`.
    func setCursor(_ position: Position?)

    /// Makes everything drawn since the last flush visible.
    func flush()

    /// Waits up to `timeoutMs` milliseconds for input (0: just poll; negative: wait for
    /// ever) and returns the next event, or `nil` when none arrived in time.
    func readEvent(timeoutMs: Int) -> InputEvent?

    /// Gives the terminal back to the shell (normal mode, cursor visible), for running
    /// another program or stopping the process; ``restore()`` takes it back.
    func suspend()

    /// Takes the terminal back after ``suspend()``; the caller must repaint fully.
    func restore()
}

extension Terminal {
    /// Hides the text cursor.
    public func hideCursor() { setCursor(nil) }
}
