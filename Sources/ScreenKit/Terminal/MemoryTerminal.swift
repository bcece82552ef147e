/// An in-memory terminal for tests: a ``ScreenBuffer`` as the screen and a queue of
/// scripted input events.
///
/// A real alternative backend, not a mock: it applies runs exactly as a terminal would
/// (clipping, wide characters), shows only what was flushed, and records what it was sent
/// so tests can check that a renderer sends only changes. Main actor, like every terminal.
@MainActor
public final class MemoryTerminal: Terminal {
    /// What is visible: the state at the last ``flush()``.
    public private(set) var screen: ScreenBuffer
    /// Where the visible cursor is, or `nil` when hidden.
    public private(set) var visibleCursor: Position?
    /// How often ``flush()`` was called.
    public private(set) var flushCount = 0
    /// How often ``clear()`` was called.
    public private(set) var clearCount = 0
    /// The runs drawn since the last flush (what the next flush will show).
    public private(set) var pendingRuns: [CellRun] = []
    /// The runs that made up the last flushed frame.
    public private(set) var lastFlushedRuns: [CellRun] = []
    /// Whether ``suspend()`` was called without a matching ``restore()``.
    public private(set) var isSuspended = false

    private var pending: ScreenBuffer
    private var pendingCursor: Position?
    private var events: [InputEvent] = []

    /// A blank terminal of the given size.
    public init(width: Int, height: Int) {
        screen = ScreenBuffer(width: width, height: height)
        pending = screen
    }

    /// The current size.
    public var size: TerminalSize { pending.size }

    /// Cells drawn in the last flushed frame, continuations excluded.
    public var lastFlushedCellCount: Int {
        lastFlushedRuns.reduce(0) { $0 + $1.cells.filter { !$0.isContinuation }.count }
    }

    /// Queues input for ``readEvent(timeoutMs:)``.
    public func enqueue(_ events: InputEvent...) { self.events.append(contentsOf: events) }

    /// Queues input for ``readEvent(timeoutMs:)``.
    public func enqueue(_ events: [InputEvent]) { self.events.append(contentsOf: events) }

    /// Changes the size as a user dragging the window would: content is cropped (a wide
    /// character cut by the new edge disappears) and a ``InputEvent/resize(width:height:)``
    /// is queued.
    public func resize(width: Int, height: Int) {
        pending = Self.crop(pending, toWidth: width, height: height)
        screen = Self.crop(screen, toWidth: width, height: height)
        events.append(.resize(width: width, height: height))
    }

    public func draw(_ runs: [CellRun]) {
        pending.apply(runs)
        pendingRuns.append(contentsOf: runs)
    }

    public func clear() {
        pending.clear()
        clearCount += 1
    }

    public func setCursor(_ position: Position?) { pendingCursor = position }

    public func flush() {
        screen = pending
        visibleCursor = pendingCursor
        lastFlushedRuns = pendingRuns
        pendingRuns = []
        flushCount += 1
    }

    /// Returns the next queued event at once (the timeout is not waited out).
    public func readEvent(timeoutMs: Int) -> InputEvent? {
        events.isEmpty ? nil : events.removeFirst()
    }

    public func suspend() { isSuspended = true }

    public func restore() { isSuspended = false }

    /// The visible screen as text: one line per row, each wide character once, trailing
    /// spaces trimmed, every line ending in a newline.
    public func snapshot() -> String {
        (0..<screen.height).map { row in
            var line = screen.text(ofRow: row)
            while line.last == " " { line.removeLast() }
            return line + "\n"
        }.joined()
    }

    /// ``snapshot()`` followed by the styles in use: for each row with styled cells, one
    /// line per run of equal style, `row 2 col 0-9: fg=4 bold`, so golden files catch
    /// colour and attribute changes too. The cursor is listed last when visible.
    public func styledSnapshot() -> String {
        var lines = snapshot() + "--\n"
        for row in 0..<screen.height {
            let cells = Array(screen.row(row))
            var start = 0
            while start < cells.count {
                var end = start + 1
                while end < cells.count && cells[end].style == cells[start].style { end += 1 }
                if cells[start].style != .plain {
                    lines += "row \(row) col \(start)-\(end - 1): \(cells[start].style)\n"
                }
                start = end
            }
        }
        if let cursor = visibleCursor {
            lines += "cursor \(cursor.row),\(cursor.column)\n"
        }
        return lines
    }

    private static func crop(_ buffer: ScreenBuffer, toWidth width: Int, height: Int) -> ScreenBuffer {
        var cropped = ScreenBuffer(width: width, height: height)
        let rows = min(height, buffer.height)
        let columns = min(width, buffer.width)
        if rows > 0 && columns > 0 {
            cropped.apply((0..<rows).map { row in
                CellRun(row: row, column: 0, cells: Array(buffer.row(row).prefix(columns)))
            })
        }
        cropped.cursor = nil
        return cropped
    }
}
