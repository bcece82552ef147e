/// What a piece of the screen *is*, for the theme to colour: views draw with roles, never
/// with colours. The raw value is the name used in theme files.
public enum ThemeRole: String, CaseIterable, Hashable, Sendable {
    /// The bar along the top: drive, user, sync state, unread count.
    case topBar = "top-bar"
    /// The application name in the top bar.
    case topBarAccent = "top-bar-accent"
    /// A view's name in the tab row.
    case tab
    /// The view being shown, in the tab row.
    case tabActive = "tab-active"
    /// A pane's border.
    case border
    /// The border of the pane that has the keyboard.
    case borderFocused = "border-focused"
    /// A pane's title (breadcrumbs, "Details").
    case title
    /// Column headings of a list.
    case header
    /// An ordinary row of a list.
    case row
    /// The selected row of the focused list.
    case rowSelected = "row-selected"
    /// The selected row of a list that does not have the keyboard.
    case rowSelectedInactive = "row-selected-inactive"
    /// A folder's name.
    case folder
    /// Secondary text: sizes, dates, authors, placeholders.
    case muted
    /// A label in a details pane ("size", "owner").
    case label
    /// The value beside a label.
    case value
    /// A pinned version's mark.
    case pinned
    /// The status line's background.
    case status
    /// A key in the hint line.
    case hintKey = "hint-key"
    /// A hint's description.
    case hint
    /// A hint whose binding is disabled right now.
    case hintDisabled = "hint-disabled"
    /// A neutral message.
    case info
    /// A message that something worked.
    case success
    /// An error message.
    case error
    /// The done part of a progress bar.
    case progressDone = "progress-done"
    /// The remaining part of a progress bar.
    case progressTodo = "progress-todo"
    /// A dialog's interior.
    case dialog
    /// A dialog's border and title.
    case dialogBorder = "dialog-border"
    /// A text field being edited.
    case input
    /// A line a diff adds.
    case diffAdded = "diff-added"
    /// A line a diff removes.
    case diffRemoved = "diff-removed"
    /// A diff's `@@` hunk header.
    case diffHunk = "diff-hunk"
    /// A diff's `---`/`+++` file header.
    case diffHeader = "diff-header"
    /// The offset column of a hex summary.
    case hexOffset = "hex-offset"
    /// A bar in a chart (Storage view).
    case bar
}
