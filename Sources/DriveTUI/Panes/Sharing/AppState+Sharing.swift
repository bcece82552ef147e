import DriveEngine

extension AppState {
    /// The sharing commands: open the share dialog, switch a role, revoke a share.
    mutating func reduceSharingCommand(_ action: Action) -> [Effect] {
        switch action {
        case .openShareDialog:
            return openShareDialog()
        case .toggleShareRole:
            guard case .share(var share)? = dialog else { return [] }
            if let selected = share.selectedShare {
                let role = selected.role.toggled
                message = StatusMessage("Making \(selected.userName) \(role == .editor ? "an" : "a") \(role.rawValue) of \(share.path)…")
                return [.share(share.path, with: selected.userName, role: role)]
            }
            share.role = share.role.toggled
            dialog = .share(share)
        case .revokeShare:
            if case .share(let share)? = dialog {
                guard let selected = share.selectedShare else { return [] }
                dialog = .confirm(Self.confirmUnsharing(selected, returnTo: share))
                return []
            }
            guard view == .sharedByMe, let selected = sharing.selectedByMe else { return [] }
            dialog = .confirm(Self.confirmUnsharing(selected, returnTo: nil))
        default:
            break
        }
        return []
    }

    /// The question before stopping a share, from Shared by me or from the share dialog
    /// (`returnTo`, shown again after the answer).
    private static func confirmUnsharing(_ share: OutgoingShare, returnTo: ShareDialog?) -> ConfirmDialog {
        ConfirmDialog(
            title: "Stop sharing?",
            message: [
                "\(share.path)",
                "\(share.userName) (\(share.role.rawValue)) loses access at once, also in an open Cairn.",
                "You can share it again with s.",
            ],
            confirmLabel: "Stop sharing", operation: .unshare(share.path, user: share.userName), returnTo: returnTo)
    }

    /// `s`: the share dialog for the selection of My Drive or of Shared by me. Only the owner
    /// shares: anyone else is told so (the keymap refuses first; this guards other callers).
    private mutating func openShareDialog() -> [Effect] {
        let path: DrivePath
        let item: Item
        if view == .sharedByMe {
            guard let selected = sharing.selectedByMe else { return [] }
            (path, item) = (selected.path, selected.item)
        } else {
            guard let entry = browser.selectedEntry else { return [] }
            if let denial = selectionDenial("Sharing", needs: .owner) {
                message = StatusMessage(denial.message, kind: .error)
                return []
            }
            (path, item) = (entry.path, entry.item)
        }
        dialog = .share(ShareDialog(path: path, itemID: item.id, users: otherUsers,
                                    shares: sharing.shares(of: item.id)))
        return [.loadUsers, .loadSharing]
    }

    /// Every user but this one, sorted: whom an item can be shared with.
    var otherUsers: [String] {
        userNames.values.filter { $0 != context.userName }.sorted()
    }

    /// Enter and `v` in the sharing views: open a shared item in the browser (a folder at
    /// `/shared/<name>`, a file selected in `/shared`), show an own shared item in My Drive, or
    /// a shared file's versions.
    mutating func reduceSharedViewCommand(_ action: Action) -> [Effect] {
        switch (action, view) {
        case (.open, .sharedWithMe):
            guard let entry = sharing.selectedWithMe else { return [] }
            if entry.item.isFolder { return enterFolder(entry.path, selecting: nil) }
            return enterFolder(Self.sharedRoot, selecting: .name(entry.name))
        case (.showVersions, .sharedWithMe):
            guard let entry = sharing.selectedWithMe, !entry.item.isFolder else { return [] }
            return showVersions(of: entry.path)
        case (.open, .sharedByMe):
            guard let selected = sharing.selectedByMe else { return [] }
            return enterFolder(selected.path.parent, selecting: .item(selected.item.id))
        default:
            return []
        }
    }

    /// A new sharing overview: the views, the share dialog's list, and the roles under
    /// `/shared` follow it. When a share this user was inside has gone (its owner stopped
    /// sharing it), they are taken back to Shared with me and told why.
    mutating func receiveSharing(_ overview: SharingOverview) -> [Effect] {
        let before = sharing.withMe
        sharing.set(overview, visibleRows: layout.listRows)
        if case .share(var share)? = dialog {
            share.shares = sharing.shares(of: share.itemID)
            share.clampFocus()
            dialog = .share(share)
        }
        let gone = before.filter { old in !sharing.withMe.contains { $0.name == old.name && $0.item.id == old.item.id } }
        guard let lost = gone.first(where: { isShowing(within: $0.path) }) else { return [] }
        if let renamed = sharing.withMe.first(where: { $0.item.id == lost.item.id }) {
            return followRenamedShare(from: lost.path, to: renamed.path)
        }
        return leaveLostShare(lost.path, because: "\(lost.ownerName) stopped sharing ‘\(lost.name)’ with you")
    }

    /// The share shown is still shared, under a new name (its owner renamed it, or another
    /// share took the name): show the same place under the new name.
    private mutating func followRenamedShare(from old: DrivePath, to new: DrivePath) -> [Effect] {
        func moved(_ path: DrivePath) -> DrivePath { new.appendingAll(path.components.dropFirst(2)) }
        message = StatusMessage("‘\(old.name)’ is now shared with you as ‘\(new.name)’")
        var effects: [Effect] = []
        if let path = versions.path, path.isWithin(old) {
            versions.path = moved(path)
            if view == .versions { effects.append(.loadVersions(moved(path))) }
        }
        if browser.folder.isWithin(old) {
            let shown = view
            effects += enterFolder(moved(browser.folder), selecting: browser.selectedEntry.map { .item($0.item.id) })
            view = shown
        }
        return effects
    }

    /// A failure about a path inside `/shared/<name>` when nothing called `name` is shared any
    /// more: back to Shared with me when it was on screen, never a stuck error; a late reload
    /// for a share already left is dropped (its message is on screen). `nil` when the failure
    /// is not about a lost share: the error presenter shows it.
    mutating func leaveLostShare(after error: DriveError) -> [Effect]? {
        guard error.code == .notFound || error.code == .permissionDenied, sharing.overview != nil,
              let path = try? DrivePath(error.subject), Self.isShared(path), path.components.count >= 2,
              sharing.sharedEntry(named: path.components[1]) == nil
        else { return nil }
        let top = Self.sharedRoot.appending(path.components[1])
        if isShowing(within: top) {
            return leaveLostShare(top, because: "‘\(path.components[1])’ is not shared with you any more")
        }
        return ["ls", "log"].contains(error.operation) ? [] : nil
    }

    /// Whether the browser or the Versions view is at or below `top`.
    private func isShowing(within top: DrivePath) -> Bool {
        browser.folder.isWithin(top) || versions.path?.isWithin(top) == true
    }

    private mutating func leaveLostShare(_ top: DrivePath, because reason: String) -> [Effect] {
        var effects: [Effect] = []
        let shown = view
        let wasShowing = (shown == .drive && browser.folder.isWithin(top))
            || (shown == .versions && versions.path?.isWithin(top) == true)
        if versions.path?.isWithin(top) == true { versions = VersionsState() }
        if browser.folder.isWithin(top) { effects = enterFolder(Self.sharedRoot, selecting: nil) }
        view = wasShowing ? .sharedWithMe : shown
        if wasShowing { focus = .list }
        message = StatusMessage(reason + (wasShowing ? ": back to Shared with me" : ""))
        return effects
    }
}
