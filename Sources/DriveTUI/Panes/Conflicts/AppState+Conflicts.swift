import DriveEngine
import TextMerge

extension AppState {
    /// The Conflicts view's commands: list the resolved ones too, open the merge screen, keep a
    /// side or both (after a confirm).
    mutating func reduceConflictsCommand(_ action: Action) -> [Effect] {
        switch action {
        case .toggleResolved:
            conflicts.showsResolved.toggle()
            conflicts.cursor = ListCursor()
            conflicts.isLoading = true
            message = StatusMessage(conflicts.showsResolved ? "Resolved conflicts too · a again: only open ones" : "Only open conflicts")
            return [.loadConflicts(all: conflicts.showsResolved)]
        case .openMerge:
            guard let conflict = conflicts.selected, conflict.isOpen else { return [] }
            return openMerge(conflict.path, id: conflict.id)
        case .keepSide(let side):
            guard let conflict = conflicts.selected, conflict.isOpen else { return [] }
            dialog = .confirm(ConfirmDialog(
                title: "Keep \(side.rawValue)?",
                message: [
                    "\(conflict.path)",
                    Self.keepSentence(side, conflict),
                    "Both versions stay in the file's history.",
                ],
                confirmLabel: "Keep \(side.rawValue)", operation: .keepSide(conflict.path, id: conflict.id, side)))
            return []
        default:
            return []
        }
    }

    /// Opens on the merge screen of `conflict`, over the Conflicts view, to quit when the merge
    /// is written or left (`cairn resolve --merge` on a terminal).
    mutating func startMerging(_ conflict: ConflictInfo) -> [Effect] {
        view = .conflicts
        quitsAfterMerge = true
        conflicts.isLoading = true
        return [.loadConflicts(all: false)] + openMerge(conflict.path, id: conflict.id)
    }

    /// Asks for conflict `id`'s sides, merged: the merge screen opens when they arrive.
    mutating func openMerge(_ path: DrivePath, id: Int64) -> [Effect] {
        isAwaitingMerge = true
        message = StatusMessage("Merging \(path)…")
        return [.loadMerge(path, id: id)]
    }

    /// What keeping `side` of `conflict` does, in one line.
    static func keepSentence(_ side: MergeSide, _ conflict: ConflictInfo) -> String {
        switch side {
        case .mine: "Version \(conflict.version) by \(conflict.author) (mine) becomes the new head."
        case .theirs: "The head (theirs) stays; version \(conflict.version) by \(conflict.author) stays in history."
        case .both: "The head stays; version \(conflict.version) by \(conflict.author) becomes a copy beside the file."
        }
    }

    /// What the engine sent back for the Conflicts view and the merge screen.
    mutating func reduceConflictsResult(_ action: Action) -> [Effect] {
        switch action {
        case .conflictsLoaded(let all, let list):
            if all == conflicts.showsResolved { conflicts.setEntries(list, visibleRows: layout.listRows) }
            if let merge, !merge.isWriting, !list.contains(where: { $0.id == merge.input.conflict.id && $0.isOpen }) {
                // Settled meanwhile by another process (or the file went): nothing here can be written.
                self.merge = nil
                message = StatusMessage("\(merge.input.conflict.path) was settled elsewhere meanwhile; this merge was not written",
                                        kind: .error)
                if quitsAfterMerge { shouldQuit = true }
            }
        case .mergeReady(let input):
            isAwaitingMerge = false
            pager = nil
            let state = MergeState(input)
            merge = state
            message = StatusMessage(state.isBinary ? "A binary file: m keeps mine, t theirs, b both; then w writes"
                : state.hunkCount == 0 ? "The sides merge cleanly: w writes the result"
                : "\(Formatting.count(state.hunkCount, "hunk")) changed on both sides: m mine, t theirs, b both, e edit; w writes")
        case .hunkEdited(let id, let hunk, let data):
            isAwaitingMerge = false
            guard var merge, merge.input.conflict.id == id else { return [] }
            guard let data else {
                message = StatusMessage("The editor failed: hunk \(hunk + 1) is as it was", kind: .error)
                return []
            }
            guard let before = merge.editorText(hunk: hunk), data != before else {
                message = StatusMessage("Unchanged: hunk \(hunk + 1) is as it was")
                return []
            }
            merge.decide(.custom(Line.split(data)), hunk: hunk, visibleRows: layout.textRows)
            self.merge = merge
            message = StatusMessage("Hunk \(hunk + 1) edited · " + Self.progress(merge))
        case .conflictResolved(let conflict, let text):
            message = StatusMessage(text, kind: .success)
            if merge?.input.conflict.id == conflict.id {
                merge = nil
                mergeWritten = true
                if quitsAfterMerge { shouldQuit = true }
            }
            return reloadEffects()
        default:
            break
        }
        return []
    }

    /// "1 hunk left" or "every hunk decided: w writes".
    static func progress(_ merge: MergeState) -> String {
        merge.undecidedCount == 0 ? "every hunk decided: w writes the result" : "\(Formatting.count(merge.undecidedCount, "hunk")) left"
    }
}
