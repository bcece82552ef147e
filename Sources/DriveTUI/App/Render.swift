import ScreenKit

/// Draws `state` into `buffer` (which must be the terminal's size).
///
/// Pure: the same state and theme always give the same cells, so golden snapshots are
/// stable. Below ``Layout/minimumSize`` only a "terminal too small" message is drawn.
public func render(_ state: AppState, theme: Theme, into buffer: inout ScreenBuffer) {
    buffer.clear(style: theme[.row])
    let layout = Layout(size: buffer.size)
    if layout.isTooSmall {
        renderTooSmall(buffer.size, theme: theme, into: &buffer)
        return
    }
    ChromeView.renderTopBar(state, theme: theme, into: &buffer)
    ChromeView.renderTabs(state, theme: theme, into: &buffer)
    if let merge = state.merge {
        MergeView.render(merge, in: layout.body, theme: theme, into: &buffer)
    } else if let pager = state.pager {
        PagerView.render(pager, in: layout.body, theme: theme, into: &buffer)
    } else {
        switch state.view {
        case .drive: BrowserView.render(state, layout: layout, theme: theme, into: &buffer)
        case .versions: VersionsView.render(state, layout: layout, theme: theme, into: &buffer)
        case .trash: TrashView.render(state, in: layout.body, theme: theme, into: &buffer)
        case .storage: StorageView.render(state, in: layout.body, theme: theme, into: &buffer)
        case .help: HelpView.render(state, in: layout.body, theme: theme, into: &buffer)
        case .sharedWithMe: SharingView.renderSharedWithMe(state, in: layout.body, theme: theme, into: &buffer)
        case .sharedByMe: SharingView.renderSharedByMe(state, in: layout.body, theme: theme, into: &buffer)
        case .inbox: InboxView.render(state, in: layout.body, theme: theme, into: &buffer)
        case .conflicts: ConflictsView.render(state, in: layout.body, theme: theme, into: &buffer)
        case .devices: DevicesView.render(state, in: layout.body, theme: theme, into: &buffer)
        }
    }
    buffer.cursor = nil
    StatusLineView.render(state, row: layout.statusRow, theme: theme, into: &buffer)
    ChromeView.renderHints(state, row: layout.hintsRow, theme: theme, into: &buffer)
    if let dialog = state.dialog {
        DialogView.render(dialog, theme: theme, into: &buffer)
    }
}

/// The message shown instead of the app on a terminal below the minimum size.
private func renderTooSmall(_ size: TerminalSize, theme: Theme, into buffer: inout ScreenBuffer) {
    let minimum = Layout.minimumSize
    let lines = [
        "Terminal too small",
        "\(size.width)×\(size.height); Cairn needs \(minimum.width)×\(minimum.height)",
        "Enlarge the window, or press q to quit",
    ]
    let top = max(0, (size.height - lines.count) / 2)
    for (offset, line) in lines.enumerated() {
        let fitted = TextWidth.truncate(line, toWidth: size.width)
        let column = max(0, (size.width - TextWidth.of(fitted)) / 2)
        buffer.put(fitted, row: top + offset, column: column, style: offset == 0 ? theme[.error] : theme[.row])
    }
}
