import ScreenKit

/// Where things go on a screen of a given size. Value type, Sendable, pure.
///
/// Rows: 0 top bar, 1 view tabs, 2…height-3 the body, height-2 status line, height-1 key
/// hints. Below ``minimumSize`` only a "terminal too small" message is drawn.
public struct Layout: Equatable, Sendable {
    /// The smallest terminal the app draws in.
    public static let minimumSize = TerminalSize(width: 60, height: 15)
    /// Widths from which the details pane sits beside the list (below, Tab swaps them).
    public static let sideBySideWidth = 90

    /// The terminal size.
    public var size: TerminalSize

    /// The layout for `size`.
    public init(size: TerminalSize) {
        self.size = size
    }

    /// Whether the terminal is too small to draw the app.
    public var isTooSmall: Bool {
        size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    }

    /// The area between the tabs and the status line.
    public var body: Rect { Rect(row: 2, column: 0, width: size.width, height: max(0, size.height - 4)) }

    /// The status line's row.
    public var statusRow: Int { size.height - 2 }

    /// The key hints' row.
    public var hintsRow: Int { size.height - 1 }

    /// Whether the list and the details pane fit side by side.
    public var showsDetailsBeside: Bool { size.width >= Self.sideBySideWidth }

    /// The list pane and, when there is room, the details pane beside it.
    public func splitBody() -> (list: Rect, details: Rect?) {
        let area = body
        guard showsDetailsBeside else { return (area, nil) }
        let detailsWidth = max(30, area.width * 32 / 100)
        let list = Rect(row: area.row, column: 0, width: area.width - detailsWidth, height: area.height)
        let details = Rect(row: area.row, column: list.width, width: detailsWidth, height: area.height)
        return (list, details)
    }

    /// Rows of a framed list with a header line: the body less the frame and the header.
    public var listRows: Int { max(1, body.height - 3) }

    /// Rows of framed text without a header (pager, help).
    public var textRows: Int { max(1, body.height - 2) }

    /// Columns of framed text (pager): the body less the frame and a margin each side.
    public var textColumns: Int { max(1, body.width - 4) }
}
