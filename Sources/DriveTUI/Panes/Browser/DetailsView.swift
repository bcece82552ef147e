import DriveEngine
import ScreenKit

/// The Details pane for My Drive's selection: what the engine knows about the item, this
/// user's role on it and whom they share it with, and, for a file, its head version (digest,
/// blocks new and shared; a symbolic link's target). Pure.
enum DetailsView {
    static func render(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        buffer.drawPane(rect, title: "Details", isFocused: state.focus == .details, theme: theme)
        let inner = rect.inset(by: 1).inset(by: 0)
        let area = Rect(row: inner.row, column: inner.column + 1, width: inner.width - 2, height: inner.height)
        guard let entry = state.browser.selectedEntry else {
            buffer.putPadded(state.browser.isLoading ? "" : "Nothing selected", row: area.row, column: area.column,
                             width: area.width, style: theme[.muted])
            return
        }
        var lines: [(String, String, ThemeRole)] = []
        let item = entry.item
        let zone = state.context.timeZone
        lines.append(("name", item.name, .value))
        lines.append(("path", entry.path.description, .value))
        lines.append(("kind", item.isFolder ? "folder" : entry.isLink ? "symbolic link" : "file", .value))
        if let target = entry.linkTarget {
            // A link has no content to describe: its target is all there is (never followed).
            lines.append(("target", target, .value))
            lines.append(("versions", "\(item.versionCount)", .value))
        } else if !item.isFolder {
            lines.append(("size", "\(Formatting.bytes(item.size)) (\(item.size) bytes)", .value))
            lines.append(contentsOf: headLines(state.browser.details, item: item))
        }
        lines.append(("owner", state.userNames[item.ownerId] ?? "—", .value))
        lines.append(("role", roleText(state, entry), .value))
        let shares = state.sharing.shares(of: item.id)
        if !shares.isEmpty {
            lines.append(("shared", shares.map { "\($0.userName) (\($0.role.rawValue))" }.joined(separator: ", "), .value))
        }
        lines.append(("created", Formatting.date(item.createdAt, in: zone), .value))
        lines.append(("modified", Formatting.date(item.modifiedAt, in: zone), .value))
        lines.append(("by", entry.modifiedByName, .value))
        for (offset, line) in lines.prefix(area.height).enumerated() {
            buffer.putField(line.0, line.1, row: area.row + offset, in: area, theme: theme, valueRole: line.2)
        }
    }

    /// "owner", "viewer"; "at least viewer" when a share below may raise it.
    private static func roleText(_ state: AppState, _ entry: Entry) -> String {
        if let role = state.role(of: entry) { return role.rawValue }
        let components = entry.path.components
        guard AppState.isShared(entry.path), components.count > 2,
              let share = state.sharing.sharedEntry(named: components[1]) else { return "—" }
        return "at least \(share.role.rawValue)"
    }

    /// The head version's lines: versions, digest, blocks; placeholders while loading.
    private static func headLines(_ details: DetailsState, item: Item) -> [(String, String, ThemeRole)] {
        guard let versions = details.versions else {
            return [("versions", "\(item.versionCount)", .value), ("digest", "loading…", .muted)]
        }
        guard let head = versions.first(where: \.isHead)?.version ?? versions.first?.version else {
            return [("versions", "none", .muted)]
        }
        let pinned = versions.filter(\.version.pinned).count
        return [
            ("versions", "\(versions.count)" + (pinned > 0 ? " (\(pinned) pinned)" : ""), .value),
            ("head", "v\(head.number)" + (head.restoredFrom.map { ", restore of v\($0)" } ?? ""), .value),
            ("digest", Formatting.hex(head.digest, length: 16), .value),
            ("blocks", "\(head.blockCount): \(head.newBlocks) new, \(head.sharedBlocks) shared", .value),
            // The engine reports stored (compressed) bytes per store, not per file: see Storage.
            ("stored", "see Storage (4)", .muted),
        ]
    }
}
