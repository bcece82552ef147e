import DriveEngine
import ScreenKit

/// The Devices view, full width: each device's name, local folder, drive folder, last sync,
/// pending changes each way, and its last error or open conflicts. Columns that do not fit a
/// narrow terminal are left out, the folder last; text is cut by display width. Pure.
enum DevicesView {
    private static let titles = ["Device", "Folder", "Drive", "Last sync", "Pending", "State"]

    static func render(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let devices = state.devices
        let list = devices.entries ?? []
        buffer.drawPane(rect, title: "Devices", isFocused: true, theme: theme)
        let inner = rect.inset(by: 1)
        let columns = Self.columns(width: inner.width)
        TableColumn.renderHeader(columns, sort: nil, row: inner.row, column: inner.column, theme: theme, into: &buffer)
        TableColumn.renderRows(columns, titles: titles, count: list.count, cursor: devices.cursor,
                               selectedRole: .rowSelected, placeholder: placeholder(devices), in: inner, theme: theme,
                               into: &buffer) { index in
            let status = list[index]
            let device = status.device
            return [
                (device.name, .title),
                (device.folder, .row),
                (device.drivePath, .folder),
                (device.lastSyncAt.map { Formatting.date($0, in: state.context.timeZone) } ?? "never", .muted),
                ("↑\(status.pendingUp) ↓\(status.pendingDown)", status.pendingUp + status.pendingDown > 0 ? .value : .muted),
                stateText(status, syncing: devices.syncing.contains(device.name)),
            ]
        }
        if !list.isEmpty {
            buffer.putFrameFooter(devices.summary, in: rect, style: theme[.muted])
        }
    }

    /// The columns that fit `width`: the folder takes what the others leave, at least 16
    /// columns; the state, then the drive folder go first when it would not.
    static func columns(width: Int) -> [TableColumn] {
        var fixed = [
            TableColumn(title: "Device", width: 12),
            TableColumn(title: "Drive", width: 14),
            TableColumn(title: "Last sync", width: 16),
            TableColumn(title: "Pending", width: 11),
            TableColumn(title: "State", width: 22),
        ]
        for dropped in ["State", "Drive"] where width - TableColumn.fixedWidth(fixed) - 1 < 16 {
            fixed.removeAll { $0.title == dropped }
        }
        let folder = TableColumn(title: "Folder", width: max(8, width - TableColumn.fixedWidth(fixed) - 1))
        return [fixed[0], folder] + fixed.dropFirst()
    }

    /// "syncing…", the last error, "2 conflicts", "3 skipped" or "in sync".
    static func stateText(_ status: DeviceStatus, syncing: Bool) -> (String, ThemeRole) {
        if syncing { return ("syncing…", .value) }
        if let error = status.device.lastError { return (error, .error) }
        if status.openConflicts > 0 { return (Formatting.count(status.openConflicts, "conflict") + " (9)", .pinned) }
        if !status.skipped.isEmpty { return ("\(status.skipped.count) skipped", .muted) }
        if status.device.lastSyncAt == nil { return ("never synced", .muted) }
        return (status.pendingUp + status.pendingDown > 0 ? "pending" : "in sync", .muted)
    }

    private static func placeholder(_ devices: DevicesState) -> String {
        if devices.isLoading || devices.entries == nil { return "Loading…" }
        return "No devices: add one with cairn device add NAME --folder DIR"
    }
}
