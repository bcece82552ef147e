import ScreenKit

/// Text shown over the body of any view: a file preview, a hex summary or a diff.
/// Value type, Sendable.
public struct PagerContent: Equatable, Sendable {
    /// The frame's title, e.g. "/docs/a.txt · version 3".
    public var title: String
    /// The lines, each with the role it is drawn in.
    public var lines: [PagerLine] {
        didSet { width = Self.width(of: lines) }
    }
    /// The widest line's display columns: how far sideways there is to scroll.
    public private(set) var width: Int

    /// Creates pager content.
    public init(title: String, lines: [PagerLine]) {
        self.title = title
        self.lines = lines
        self.width = Self.width(of: lines)
    }

    private static func width(of lines: [PagerLine]) -> Int {
        lines.reduce(0) { max($0, TextWidth.of($1.text)) }
    }
}

/// One line of pager text. Value type, Sendable.
public struct PagerLine: Equatable, Sendable {
    /// The text (no newline; tabs already expanded).
    public var text: String
    /// How it is drawn.
    public var role: ThemeRole

    /// Creates a line.
    public init(_ text: String, role: ThemeRole = .row) {
        self.text = text
        self.role = role
    }
}

/// The pager's content and where it is scrolled to. Value type, Sendable.
public struct PagerState: Equatable, Sendable {
    /// What is shown.
    public var content: PagerContent
    /// The first line on screen.
    public var top = 0
    /// Columns scrolled to the right.
    public var left = 0

    /// A pager at the start of `content`.
    public init(content: PagerContent) {
        self.content = content
    }

    /// Scrolls sideways by `columns` (negative: left), no further than shows the end of the
    /// widest line in `visibleColumns`, and never left of the start.
    public mutating func scrollSideways(by columns: Int, visibleColumns: Int) {
        let limit = max(0, content.width - visibleColumns)
        left = max(0, min(left.addingReportingOverflow(columns).partialValue, limit))
    }
}
