import DriveEngine

extension AppState {
    /// The Devices view's commands: sync the selected device (or all) now, open its drive folder.
    mutating func reduceDevicesCommand(_ action: Action) -> [Effect] {
        switch action {
        case .syncDevices(let all):
            guard devices.syncing.isEmpty else { return [] }
            let names = all ? (devices.entries ?? []).map(\.device.name) : devices.selected.map { [$0.device.name] } ?? []
            guard !names.isEmpty else { return [] }
            devices.syncing = names
            message = StatusMessage("Syncing \(names.count == 1 ? names[0] : Formatting.count(names.count, "device"))…")
            return [.syncDevices(names)]
        case .openDeviceFolder:
            guard let status = devices.selected, let path = try? DrivePath(status.device.drivePath) else { return [] }
            return enterFolder(path, selecting: nil)
        default:
            return []
        }
    }

    /// What the engine sent back for the Devices view and the sync slot.
    mutating func reduceDevicesResult(_ action: Action) -> [Effect] {
        switch action {
        case .devicesLoaded(let list):
            devices.setEntries(list, visibleRows: layout.listRows)
            return []
        case .devicesSynced(let reports, let failure):
            devices.syncing = []
            if let failure {
                message = StatusMessage(failure, kind: .error)
            } else {
                let conflicts = reports.reduce(0) { $0 + $1.conflicts.count }
                let moved = reports.reduce(0) { $0 + $1.uploaded + $1.downloaded + $1.trashedOnDrive + $1.deletedLocally
                    + $1.movedOnDrive + $1.movedLocally }
                var text = moved == 0 ? "In sync: nothing to do" : "Synced: \(Formatting.count(moved, "change"))"
                if conflicts > 0 { text += " · \(Formatting.count(conflicts, "conflict")) kept (9 shows them)" }
                message = StatusMessage(text, kind: conflicts > 0 ? .error : .success)
            }
            devices.isLoading = true
            return [.loadDevices] + reloadEffects()
        default:
            return []
        }
    }
}
