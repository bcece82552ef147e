import DriveEngine

extension AppState {
    /// The merge screen's commands: take a side for the current hunk, move between hunks, undo,
    /// edit in `$EDITOR`, write (once every hunk is decided), leave.
    mutating func reduceMergeCommand(_ action: Action) -> [Effect] {
        guard var merge else { return [] }
        let conflict = merge.input.conflict
        let rows = layout.textRows
        switch action {
        case .takeSide(let side):
            let hunk = merge.hunk
            merge.decide(side.choice, visibleRows: rows)
            message = StatusMessage(merge.isBinary ? "Keeping \(side.rawValue) · w writes"
                : "Hunk \(hunk + 1): took \(side == .both ? "both, mine first" : side.rawValue) · " + Self.progress(merge))
        case .stepHunk(let forward):
            merge.step(forward: forward, visibleRows: rows)
        case .undoChoice:
            if merge.undo(visibleRows: rows) {
                message = StatusMessage("Undone: hunk \(merge.hunk + 1) · " + Self.progress(merge))
            }
        case .editHunk:
            guard let text = merge.editorText(hunk: merge.hunk) else { return [] }
            isAwaitingMerge = true  // keys typed meanwhile wait for the edit
            return [.editText(conflict: conflict.id, hunk: merge.hunk, name: conflict.path.name, text: text)]
        case .writeMerge:
            let effect: Effect
            if let side = merge.binaryChoice {
                effect = .keepSide(conflict.path, id: conflict.id, side)
            } else if let merged = merge.mergedText {
                effect = .writeMerge(conflict.path, id: conflict.id, head: merge.input.headNumber, merged: merged)
            } else {
                return []
            }
            merge.isWriting = true
            self.merge = merge
            message = StatusMessage("Writing the merge of \(conflict.path)…")
            return [effect]
        case .closeMerge:
            if merge.canUndo {
                dialog = .confirm(ConfirmDialog(
                    title: "Leave the merge?",
                    message: [
                        "\(conflict.path)",
                        "The choices made here are not written; the conflict stays open.",
                    ],
                    confirmLabel: "Leave", operation: .leaveMerge))
                return []
            }
            return leaveMerge()
        default:
            return []
        }
        self.merge = merge
        return []
    }

    /// Closes the merge screen without writing; the conflict stays open.
    mutating func leaveMerge() -> [Effect] {
        merge = nil
        if quitsAfterMerge { shouldQuit = true }
        return view == .conflicts ? [.loadConflicts(all: conflicts.showsResolved)] : []
    }
}
