import DriveEngine

extension AppState {
    /// The Versions view's commands: preview, diff, restore (after a confirm), pin.
    mutating func reduceVersionsCommand(_ action: Action) -> [Effect] {
        guard let path = versions.path, let entry = versions.selected else { return [] }
        let number = entry.version.number
        switch action {
        case .previewVersion:
            message = StatusMessage("Opening version \(number)…")
            isAwaitingPager = true
            return [.preview(path, version: number)]
        case .diffVersion:
            guard let previous = versions.previous(of: entry) else { return [] }
            message = StatusMessage("Comparing version \(previous.version.number) with \(number)…")
            isAwaitingPager = true
            return [.diff(path, old: previous.version.number, new: number)]
        case .restoreVersion:
            let head = versions.entries.map(\.version.number).max() ?? number
            dialog = .confirm(ConfirmDialog(
                title: "Restore version \(number)?",
                message: [
                    "\(path)",
                    "Version \(number) (\(Formatting.bytes(entry.version.size)), by \(entry.authorName)) becomes",
                    "a new head version \(head + 1). Every version stays as it is.",
                ],
                confirmLabel: "Restore", operation: .restoreVersion(path, version: number)))
            return []
        case .togglePin:
            return [.setPinned(path, version: number, pinned: !entry.version.pinned)]
        default:
            return []
        }
    }

    /// The Trash view's commands: put back, and empty (after a confirm).
    mutating func reduceTrashCommand(_ action: Action) -> [Effect] {
        switch action {
        case .restoreFromTrash:
            guard let entry = trash.selected else { return [] }
            return [.untrash(entry.path)]
        case .emptyTrash:
            guard !trash.entries.isEmpty else { return [] }
            dialog = .confirm(ConfirmDialog(
                title: "Empty the trash?",
                message: [
                    "\(Formatting.count(trash.entries.count, "item")) in the trash, and everything in them,",
                    "will be deleted for good. This cannot be undone.",
                ],
                confirmLabel: "Empty trash", operation: .emptyTrash))
            return []
        default:
            return []
        }
    }
}
