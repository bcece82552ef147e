import DriveEngine

/// Which reloads new journal entries call for: only what they touch among what the screen shows,
/// so another user's edit in a folder not on screen reloads nothing. Where an entry does not say
/// enough to tell (a move's old place is not recorded, an owner's paths inside a share are not
/// this user's), it counts as touching: when unsure, reload.
extension AppState {
    /// This user's id, from the names loaded at start; `nil` before they arrive.
    var userID: Int64? {
        userNames.first { $0.value == context.userName }?.key
    }

    /// The reloads `entries` call for; everything shown when they are not known (`nil`: too many,
    /// or unreadable) or this user's id is not known yet. The shares come first, as in
    /// ``reloadEffects()``.
    func reloadEffects(after entries: [JournalEntry]?) -> [Effect] {
        guard let entries, let me = userID else { return reloadEffects() }
        var effects: [Effect] = []
        if entries.contains(where: { $0.kind == .userAdded }) { effects.append(.loadUsers) }
        if entries.contains(where: { touchesSharing($0, me: me) }) { effects.append(.loadSharing) }
        if entries.contains(where: { touchesFolder($0, me: me) }) { effects.append(.list(browser.folder)) }
        if view == .versions, let path = versions.path, entries.contains(where: touchesVersions) {
            effects.append(.loadVersions(path))
        }
        if view == .trash, entries.contains(where: { touchesTrash($0, me: me) }) { effects.append(.loadTrash) }
        // The figures are the whole store's: any change may move them.
        if view == .storage { effects.append(.loadStats) }
        if view == .conflicts, entries.contains(where: touchesConflicts) {
            effects.append(.loadConflicts(all: conflicts.showsResolved))
        }
        // On the Devices view any change may be pending for a device; elsewhere the sync slot
        // follows what devices did (not while a sync from here runs: it reloads when done).
        if devices.entries?.isEmpty == false, devices.syncing.isEmpty,
           view == .devices || entries.contains(where: { $0.originDevice != nil }) {
            effects.append(.loadDevices)
        }
        return effects
    }

    /// Kinds after which an item may be in a folder no id of the entry names: a new item (its
    /// parent is not recorded), one back from the trash, one that changed owner.
    private static let appearing: Set<ChangeKind> = [.folderCreated, .versionAdded, .restored, .conflict, .untrashed, .transferred]

    /// Whether `entry` may change the folder the browser shows.
    func touchesFolder(_ entry: JournalEntry, me: Int64) -> Bool {
        if let id = entry.itemId, browser.entries.contains(where: { $0.item.id == id }) { return true }
        let folder = browser.folder
        if folder == Self.sharedRoot {
            // What others share with this user: their shares, and where their shared items are.
            let changesShares: Set<ChangeKind> = [.shared, .unshared, .transferred, .moved, .trashed, .untrashed]
            return changesShares.contains(entry.kind) && (entry.ownerId != me || entry.targetUserId == me)
        }
        if Self.isShared(folder) {
            // Inside a share everything is its owner's, and the entries' paths are the owner's.
            guard let owner = sharing.sharedEntry(named: folder.components[1])?.item.ownerId else { return true }
            return entry.ownerId == owner && (entry.kind == .moved || entry.kind == .trashed || Self.appearing.contains(entry.kind))
        }
        // This user's own drive holds only their items, at the paths the entries give.
        guard entry.ownerId == me else { return false }
        guard let path = try? DrivePath(entry.path) else { return true }
        switch entry.kind {
        case .moved:
            return true  // it may have left this folder, or be a folder above it
        case .trashed:
            return path.parent == folder || folder.isWithin(path)
        default:
            return Self.appearing.contains(entry.kind) && path.parent == folder
        }
    }

    /// Whether `entry` may change the sharing overview: this user's shares and roles, the names
    /// under `/shared`, or a row of a sharing view on screen.
    func touchesSharing(_ entry: JournalEntry, me: Int64) -> Bool {
        let listed = sharing.withMe.map(\.item.id) + sharing.byMe.map(\.item.id)
        if view == .sharedWithMe || view == .sharedByMe, let id = entry.itemId, listed.contains(id) { return true }
        switch entry.kind {
        case .shared, .unshared, .transferred:
            return [entry.ownerId, entry.targetUserId, entry.actorId].contains(me)
        case .moved, .trashed, .untrashed, .purged:
            // A shared item (or a folder above it) may have moved, gone or come back.
            guard entry.ownerId == me else { return sharing.withMe.contains { $0.item.ownerId == entry.ownerId } }
            switch entry.kind {
            case .trashed:
                // This user's shares are listed by path: a trash above none of them changes none.
                guard let path = try? DrivePath(entry.path) else { return true }
                return sharing.byMe.contains { $0.path.isWithin(path) }
            case .untrashed:
                return true
            default:
                return !sharing.byMe.isEmpty
            }
        default:
            return false
        }
    }

    /// Whether `entry` may change the Versions view's file: its own history, or its place.
    func touchesVersions(_ entry: JournalEntry) -> Bool {
        guard let id = versions.entries.first?.version.itemId else { return true }
        return entry.itemId == id || [.moved, .trashed, .unshared, .transferred].contains(entry.kind)
    }

    /// Whether `entry` may change the Conflicts view: a new conflict, a version of a listed file
    /// (a resolution adds one), or a change of what this user sees where (a move, the trash, a share).
    func touchesConflicts(_ entry: JournalEntry) -> Bool {
        if let id = entry.itemId, conflicts.entries.contains(where: { $0.itemId == id }) { return true }
        return [.conflict, .moved, .trashed, .untrashed, .purged, .shared, .unshared, .transferred].contains(entry.kind)
    }

    /// Whether `entry` may change this user's trash (the owner's, whoever deleted).
    func touchesTrash(_ entry: JournalEntry, me: Int64) -> Bool {
        [.trashed, .untrashed, .purged, .transferred].contains(entry.kind) && (entry.ownerId == me || entry.kind == .transferred)
    }
}
