import DriveEngine

extension AppState {
    /// My Drive's commands: open, go up, filter, sort, and the operations that ask first.
    mutating func reduceBrowserCommand(_ action: Action) -> [Effect] {
        if view == .sharedWithMe || view == .sharedByMe { return reduceSharedViewCommand(action) }
        switch action {
        case .open:
            guard let entry = browser.selectedEntry else { return [] }
            if entry.item.isFolder { return enterFolder(entry.path, selecting: nil) }
            message = StatusMessage("Opening \(entry.path)…")
            isAwaitingPager = true
            return [.preview(entry.path, version: nil)]
        case .goUp:
            if view == .versions { return show(.drive) }
            guard !browser.folder.isRoot else { return [] }
            return enterFolder(browser.folder.parent, selecting: .name(browser.folder.name))
        case .startFilter:
            browser.filterField = TextField(browser.filter)
            return []
        case .sort(let column):
            browser.sort(by: column, visibleRows: layout.listRows)
            message = StatusMessage("Sorted by \(browser.sort.label)")
            return browserDetailsEffects(force: false)
        case .showVersions:
            guard let entry = browser.selectedEntry, !entry.item.isFolder else { return [] }
            return showVersions(of: entry.path)
        case .addLocal:
            dialog = .prompt(PromptDialog(
                title: "Add a local file or folder to \(browser.folder)", text: context.localDirectory + "/",
                purpose: .addLocal(into: browser.folder)))
        case .download:
            if view == .versions, let path = versions.path, let entry = versions.selected {
                let name = entry.isHead ? path.name : PathResolution.versionedName(path.name, version: entry.version.number)
                dialog = .prompt(PromptDialog(
                    title: "Download version \(entry.version.number) of \(path) to",
                    text: context.localDirectory + "/" + name, purpose: .download(path, version: entry.version.number)))
            } else if let entry = browser.selectedEntry {
                dialog = .prompt(PromptDialog(
                    title: "Download \(entry.path) to", text: context.localDirectory + "/" + entry.item.name,
                    purpose: .download(entry.path, version: nil)))
            }
        case .newFolder:
            dialog = .prompt(PromptDialog(title: "New folder in \(browser.folder)", text: "",
                                          purpose: .newFolder(in: browser.folder)))
        case .rename:
            guard let entry = browser.selectedEntry else { return [] }
            dialog = .prompt(PromptDialog(title: "Rename \(entry.path) to", text: entry.item.name,
                                          purpose: .rename(entry.path)))
        case .moveItem:
            guard let entry = browser.selectedEntry else { return [] }
            dialog = .prompt(PromptDialog(title: "Move \(entry.path) to folder", text: browser.folder.description,
                                          purpose: .move(entry.path)))
        case .trashItem:
            guard let entry = browser.selectedEntry else { return [] }
            return [.trash(entry.path)]
        default:
            break
        }
        return []
    }

    /// Shows `path`'s contents, selecting `selection` once they arrive.
    mutating func enterFolder(_ path: DrivePath, selecting selection: PendingSelection?) -> [Effect] {
        view = .drive
        browser.folder = path
        browser.filterField = nil
        browser.setFilter("", visibleRows: layout.listRows)
        browser.setEntries([], visibleRows: layout.listRows)
        browser.cursor = ListCursor()
        browser.isLoading = true
        browser.pendingSelection = selection
        browser.details = DetailsState()
        return [.list(path)]
    }

    /// Opens the Versions view on the file at `path`.
    mutating func showVersions(of path: DrivePath) -> [Effect] {
        view = .versions
        focus = .list
        pager = nil
        versions = VersionsState()
        versions.path = path
        versions.isLoading = true
        return [.loadVersions(path)]
    }

    /// The Details pane's loads for the selection: a file's versions, unless already loaded
    /// (or `force`, after a change).
    mutating func browserDetailsEffects(force: Bool) -> [Effect] {
        guard let entry = browser.selectedEntry else {
            browser.details = DetailsState()
            return []
        }
        if entry.item.isFolder {
            browser.details = DetailsState(path: entry.path, versions: [])
            return []
        }
        guard force || browser.details.path != entry.path else { return [] }
        if browser.details.path != entry.path { browser.details = DetailsState(path: entry.path) }
        return [.loadDetails(entry.path)]
    }

    /// The first entries of a big folder arrived (in name order, the rest follows): show them
    /// if the folder is still loading and sorted by name, so its first screen is already right.
    mutating func receiveFirstListing(_ path: DrivePath, _ entries: [Entry]) -> [Effect] {
        guard path == browser.folder, browser.isLoading, browser.sort == BrowserSort() else { return [] }
        let wanted = browser.pendingSelection
        browser.setEntries(entries, visibleRows: layout.listRows)
        browser.isPartial = true
        // An item to select that is not among the first: select it once all have arrived.
        if let wanted, !(browser.selectedEntry.map(wanted.matches) ?? false) { browser.pendingSelection = wanted }
        return browserDetailsEffects(force: false)
    }

    /// A folder listing arrived: show it if it is still the folder being shown.
    mutating func receiveListing(_ path: DrivePath, _ entries: [Entry]) -> [Effect] {
        guard path == browser.folder else { return [] }
        let before = browser.selectedEntry
        browser.setEntries(entries, visibleRows: layout.listRows)
        let after = browser.selectedEntry
        // A refresh after a change: reload the details when the selected item changed.
        let changed = before?.item.id != after?.item.id || before?.item.modifiedAt != after?.item.modifiedAt
            || before?.item.versionCount != after?.item.versionCount
        return browserDetailsEffects(force: changed && after != nil && after?.path == browser.details.path)
    }
}
