/// The selected row of a list and the first row shown, kept so the selection is always
/// visible. Value type, Sendable; every method is pure arithmetic on `count` rows of which
/// `visibleRows` fit on screen.
public struct ListCursor: Equatable, Sendable {
    /// Index of the selected row (0 when the list is empty).
    public var selected: Int
    /// Index of the first row on screen.
    public var top: Int

    /// A cursor on the first row.
    public init(selected: Int = 0, top: Int = 0) {
        self.selected = selected
        self.top = top
    }

    /// Moves the selection by `delta` rows, stopping at the ends.
    public mutating func move(by delta: Int, count: Int, visibleRows: Int) {
        select(selected + delta, count: count, visibleRows: visibleRows)
    }

    /// Selects row `index` (clamped into the list) and scrolls as little as needed.
    public mutating func select(_ index: Int, count: Int, visibleRows: Int) {
        selected = max(0, min(index, count - 1))
        clamp(count: count, visibleRows: visibleRows)
    }

    /// Brings the cursor back into a list of `count` rows with `visibleRows` on screen: after
    /// the list changed or the terminal was resized.
    public mutating func clamp(count: Int, visibleRows: Int) {
        let rows = max(1, visibleRows)
        selected = max(0, min(selected, count - 1))
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        top = max(0, min(top, max(0, count - rows)))
    }

    /// Scrolls without a selection (pagers, help): moves `top` by `delta`, within the text.
    public mutating func scroll(by delta: Int, count: Int, visibleRows: Int) {
        top = max(0, min(top + delta, max(0, count - max(1, visibleRows))))
        selected = top
    }
}
