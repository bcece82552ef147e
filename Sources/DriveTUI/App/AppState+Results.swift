import DriveEngine

extension AppState {
    /// Results of background work.
    mutating func reduceResult(_ action: Action) -> [Effect] {
        switch action {
        case .usersLoaded(let names):
            userNames = names
            if case .share(var share)? = dialog {
                share.users = otherUsers
                dialog = .share(share)
            }
        case .listed(let path, let entries):
            if entries.count == 1, entries[0].path == path, !entries[0].item.isFolder {
                // `cd` to a file: show its folder with the file selected.
                return enterFolder(path.parent, selecting: .name(path.name))
            }
            return receiveListing(path, entries)
        case .listedFirst(let path, let entries):
            return receiveFirstListing(path, entries)
        case .detailsLoaded(let path, let list):
            if browser.details.path == path { browser.details.versions = list }
        case .versionsLoaded(let path, let list):
            if versions.path == path { versions.setEntries(list, visibleRows: layout.listRows) }
        case .trashLoaded(let entries):
            trash.entries = entries
            trash.isLoading = false
            trash.cursor.clamp(count: entries.count, visibleRows: layout.listRows)
        case .sharingLoaded(let overview):
            return receiveSharing(overview)
        case .statsLoaded(let stats, let biggest):
            storage.stats = stats
            storage.biggest = biggest
        case .pagerReady(let content):
            isAwaitingPager = false
            pager = PagerState(content: content)
            message = nil
        case .completions(let text, let completed, let candidates):
            guard case .prompt(var prompt)? = dialog, prompt.field.text == text else { return [] }
            prompt.field = TextField(completed)
            prompt.completions = candidates.count > 1 ? candidates : []
            if candidates.isEmpty { message = StatusMessage("Nothing here starts with that") }
            dialog = .prompt(prompt)
        case .changed(let text):
            message = StatusMessage(text, kind: .success)
            return reloadEffects()
        case .failed(let error):
            // Whatever was loading will not arrive: stop holding keys for it.
            browser.isLoading = false
            versions.isLoading = false
            trash.isLoading = false
            sharing.isLoading = false
            inbox.isLoading = false
            inbox.isOpening = false
            conflicts.isLoading = false
            devices.isLoading = false
            isAwaitingPager = false
            isAwaitingMerge = false
            merge?.isWriting = false
            if let effects = leaveLostShare(after: error) { return effects }
            message = StatusMessage(error.description, kind: .error)
            if error.operation == "ls", error.code == .notFound, error.subject == browser.folder.description,
               !browser.folder.isRoot {
                // The folder shown went away (another process moved or trashed it).
                return enterFolder(browser.folder.parent, selecting: nil)
            }
        case .refused(let reason):
            message = StatusMessage(reason, kind: .error)
        case .localTargetExists(let id, let path, let local, let target, let isFolder, let version):
            guard job?.id == id else { return [] }
            job = nil
            let kind = isFolder ? "folder" : "file"
            guard dialog == nil else {
                message = StatusMessage("Not downloaded: a local \(kind) is at \(target)", kind: .error)
                return []
            }
            dialog = .confirm(ConfirmDialog(
                title: "Replace the local \(kind)?",
                message: [
                    "Replace \(target)?",
                    "A local \(kind) is there: downloading \(path)\(version.map { " version \($0)" } ?? "") writes over it.",
                ],
                confirmLabel: "Replace", operation: .replaceLocal(path, local: local, version: version)))
        case .jobProgress(let id, let progress):
            if job?.id == id { job?.progress = progress }
        case .jobFinished(let id, let text):
            guard job?.id == id else { return [] }
            job = nil
            message = StatusMessage(text, kind: .success)
            return reloadEffects()
        case .jobFailed(let id, let error):
            guard let finished = job, finished.id == id else { return [] }
            job = nil
            message = error.code == .cancelled
                ? StatusMessage("Cancelled “\(finished.title)”: what was done stays, nothing is left half done")
                : StatusMessage(error.description, kind: .error)
            return reloadEffects()
        case .driveChanged(let sequence, let entries):
            guard sequence != journalSequence else { return [] }
            journalSequence = sequence
            return reloadEffects(after: entries)
        case .inboxLoaded, .inboxCounted, .notificationsArrived, .notificationOpened:
            return reduceInboxResult(action)
        case .conflictsLoaded, .mergeReady, .hunkEdited, .conflictResolved:
            return reduceConflictsResult(action)
        case .devicesLoaded, .devicesSynced:
            return reduceDevicesResult(action)
        default:
            break
        }
        return []
    }

    /// Reloads what the screen shows after the drive changed. The shares come first: the
    /// results arrive in order, so a listing in a share that just went is known to be lost.
    func reloadEffects() -> [Effect] {
        var effects: [Effect] = [.loadSharing, .list(browser.folder)]
        if let path = versions.path, view == .versions { effects.append(.loadVersions(path)) }
        if view == .trash { effects.append(.loadTrash) }
        if view == .storage { effects.append(.loadStats) }
        if view == .conflicts { effects.append(.loadConflicts(all: conflicts.showsResolved)) }
        return effects
    }
}
