import DriveEngine
import ScreenKit

/// The Versions view: the file's versions (number, time, author, size, pinned, notes) with
/// the selected version's details beside. Pure.
enum VersionsView {
    static func render(_ state: AppState, layout: Layout, theme: Theme, into buffer: inout ScreenBuffer) {
        let (listRect, detailsRect) = layout.splitBody()
        if let detailsRect {
            renderList(state, in: listRect, theme: theme, into: &buffer)
            renderDetails(state, in: detailsRect, theme: theme, into: &buffer)
        } else if state.focus == .details {
            renderDetails(state, in: layout.body, theme: theme, into: &buffer)
        } else {
            renderList(state, in: listRect, theme: theme, into: &buffer)
        }
    }

    private static let titles = ["Ver", "Time", "Author", "Size", "Notes"]

    private static func renderList(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let versions = state.versions
        let focused = state.focus == .list
        let title = versions.path.map { "Versions of \($0)" } ?? "Versions"
        buffer.drawPane(rect, title: title, isFocused: focused, theme: theme)
        let inner = rect.inset(by: 1)
        var columns = [
            TableColumn(title: "Ver", width: 4, alignment: .trailing),
            TableColumn(title: "Time", width: 16),
            TableColumn(title: "Author", width: 10),
            TableColumn(title: "Size", width: 8, alignment: .trailing),
        ]
        columns.append(TableColumn(title: "Notes", width: max(4, inner.width - TableColumn.fixedWidth(columns) - 1)))
        TableColumn.renderHeader(columns, sort: nil, row: inner.row, column: inner.column, theme: theme, into: &buffer)
        let placeholder = versions.isLoading ? "Loading…"
            : versions.path == nil ? "Select a file in My Drive (1) and press v" : "No versions"
        TableColumn.renderRows(columns, titles: titles, count: versions.entries.count, cursor: versions.cursor,
                               selectedRole: focused ? .rowSelected : .rowSelectedInactive, placeholder: placeholder,
                               in: inner, theme: theme, into: &buffer) { index in
            let entry = versions.entries[index]
            return [
                ("v\(entry.version.number)", .row),
                (Formatting.date(entry.version.createdAt, in: state.context.timeZone), .muted),
                (entry.authorName, .muted),
                (Formatting.bytes(entry.version.size), .muted),
                (notes(entry), entry.version.pinned ? .pinned : .muted),
            ]
        }
    }

    /// "pinned · head · restore of v2"; a link version starts with "link -> TARGET".
    static func notes(_ entry: VersionEntry) -> String {
        var parts: [String] = []
        if let target = entry.version.linkTarget { parts.append("link -> " + target) }
        if entry.version.pinned { parts.append("pinned") }
        if entry.isHead { parts.append("head") }
        if let from = entry.version.restoredFrom { parts.append("restore of v\(from)") }
        return parts.joined(separator: " · ")
    }

    private static func renderDetails(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        buffer.drawPane(rect, title: "Version", isFocused: state.focus == .details, theme: theme)
        let inner = rect.inset(by: 1)
        let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
        guard let entry = state.versions.selected else { return }
        let version = entry.version
        let base = version.baseVersionId.flatMap { id in state.versions.entries.first { $0.version.id == id } }
        var lines: [(String, String, ThemeRole)] = [
            ("version", "\(version.number)\(entry.isHead ? " (head)" : "")", .value),
            ("created", Formatting.date(version.createdAt, in: state.context.timeZone), .value),
            ("author", entry.authorName, .value),
        ]
        // A link has no content to describe: its target is all there is (never followed).
        if let target = version.linkTarget {
            lines += [("kind", "symbolic link", .value), ("target", target, .value)]
        } else {
            lines += [
                ("size", "\(Formatting.bytes(version.size)) (\(version.size) bytes)", .value),
                ("digest", Formatting.hex(version.digest, length: 16), .value),
                ("blocks", "\(version.blockCount): \(version.newBlocks) new, \(version.sharedBlocks) shared", .value),
            ]
        }
        lines.append(("pinned", version.pinned ? "yes: never dropped" : "no", version.pinned ? .pinned : .value))
        if let base { lines.append(("based on", "v\(base.version.number)", .value)) }
        if let from = version.restoredFrom { lines.append(("restored", "from v\(from)", .value)) }
        for (offset, line) in lines.prefix(area.height).enumerated() {
            buffer.putField(line.0, line.1, row: area.row + offset, in: area, theme: theme, valueRole: line.2)
        }
    }
}
