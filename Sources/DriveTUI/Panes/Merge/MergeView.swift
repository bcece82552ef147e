import ScreenKit

/// The merge screen over the body: the document of ``MergeDocument`` scrolled to the current
/// hunk, its title naming the file and the two sides, its footer how many hunks are left. Lines
/// are cut by display width (``TextWidth``), so Korean and other wide text keeps its columns.
/// Pure.
enum MergeView {
    static func render(_ merge: MergeState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let input = merge.input
        buffer.drawPane(rect, title: "Merge \(input.conflict.path) · \(input.mineLabel) into \(input.theirsLabel)",
                        isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
        PagerView.renderLines(merge.lines, top: merge.top, left: 0, in: area, theme: theme, into: &buffer)
        buffer.putFrameFooter(footer(merge), in: rect, style: theme[.muted])
    }

    /// "hunk 1 of 3 · 2 left", "every hunk decided: w writes", "clean: w writes".
    static func footer(_ merge: MergeState) -> String {
        if merge.hunkCount == 0 { return "merges cleanly · w writes" }
        let left = merge.undecidedCount == 0 ? "all decided · w writes" : "\(merge.undecidedCount) left"
        return merge.isBinary ? left : "hunk \(merge.hunk + 1) of \(merge.hunkCount) · \(left)"
    }
}
