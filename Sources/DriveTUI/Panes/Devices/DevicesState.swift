import DriveEngine

/// The Devices view and the top bar's sync slot: this user's devices with how far each is from
/// the drive. Value type, Sendable; changed only by the reducer.
public struct DevicesState: Equatable, Sendable {
    /// Each device's status, by name; nil until first loaded.
    public private(set) var entries: [DeviceStatus]?
    /// The selected row and scroll position.
    public var cursor = ListCursor()
    /// Whether the statuses are being loaded.
    public var isLoading = false
    /// The devices a sync started from here is running for (empty when none runs).
    public var syncing: [String] = []

    /// Nothing loaded yet.
    public init() {}

    /// The selected device.
    public var selected: DeviceStatus? {
        guard let entries, entries.indices.contains(cursor.selected) else { return nil }
        return entries[cursor.selected]
    }

    /// Replaces the list, keeping the selection on the same device when it is still there.
    public mutating func setEntries(_ list: [DeviceStatus], visibleRows: Int) {
        let keep = selected?.device.name
        entries = list
        isLoading = false
        if let keep, let row = list.firstIndex(where: { $0.device.name == keep }) {
            cursor.select(row, count: list.count, visibleRows: visibleRows)
        } else {
            cursor.clamp(count: list.count, visibleRows: visibleRows)
        }
    }

    /// The top bar's sync slot: "sync —" (no devices, or not looked at yet), "sync …" while a
    /// sync runs, "sync !" when a device's last sync failed, "sync ↑2 ↓5" with changes pending
    /// (up: local changes to send; down: drive changes to bring), else "sync ✓".
    public var summary: String {
        guard let entries, !entries.isEmpty else { return "sync —" }
        if !syncing.isEmpty { return "sync …" }
        if entries.contains(where: { $0.device.lastError != nil }) { return "sync !" }
        let up = entries.reduce(0) { $0 + $1.pendingUp }
        let down = entries.reduce(0) { $0 + $1.pendingDown }
        if up + down > 0 { return "sync ↑\(up) ↓\(down)" }
        return "sync ✓"
    }

    /// Whether the slot should draw the eye: a failure, or conflicts waiting.
    public var needsAttention: Bool {
        entries?.contains { $0.device.lastError != nil || $0.openConflicts > 0 } ?? false
    }
}
