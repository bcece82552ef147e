import DriveEngine

/// Where Enter on a notification leads, as the engine found it now. Value type, Sendable.
public enum NotificationTarget: Equatable, Sendable {
    /// A file, at the path this user sees it at, and the version the notification is about.
    case file(DrivePath, version: Int?)
    /// A folder, at the path this user sees it at.
    case folder(DrivePath)
    /// Deleted, in the trash, or no longer shared with this user.
    case gone
}

extension AppState {
    /// The Inbox view's commands. Marking, archiving and the badge change here at once; the
    /// notifier is told in the background and answers with a fresh count.
    mutating func reduceInboxCommand(_ action: Action) -> [Effect] {
        let rows = layout.listRows
        switch action {
        case .openNotification:
            guard let row = inbox.selected else { return [] }
            let effects = row.isRead ? [] : setRead(row, true)
            guard let link = row.link else {
                message = StatusMessage("“\(row.title)” is about no file or folder to open")
                return effects
            }
            inbox.isOpening = true
            return effects + [.openLink(link)]
        case .toggleRead:
            guard let row = inbox.selected else { return [] }
            return setRead(row, !row.isRead)
        case .markAllRead:
            guard let unread = inbox.unread, unread > 0 else { return [] }
            if !inbox.showsArchived { inbox.setAllRead() }
            inbox.unread = 0
            message = StatusMessage("Marked \(Formatting.count(unread, "notification")) read")
            return [.markAllRead]
        case .archiveNotification:
            guard let row = inbox.selected else { return [] }
            inbox.remove(row.id, visibleRows: rows)
            if inbox.showsArchived {
                message = StatusMessage("Back in the inbox: \(row.title)")
            } else {
                if !row.isRead, let unread = inbox.unread { inbox.unread = max(0, unread - 1) }
                message = StatusMessage("Archived: \(row.title) (A shows the archive)")
            }
            return [.archive(row.id, unarchive: inbox.showsArchived)]
        case .toggleArchive:
            inbox.showsArchived.toggle()
            inbox.setEntries([], visibleRows: rows)
            inbox.cursor = ListCursor()
            inbox.isLoading = true
            return [.loadInbox(archived: inbox.showsArchived)]
        case .cycleKind:
            if let kind = inbox.cycleKind(visibleRows: rows) {
                message = StatusMessage("Only “\(kind)” notifications · f again for the next kind")
            } else {
                message = StatusMessage("Every kind of notification")
            }
            return []
        default:
            return []
        }
    }

    /// Marks `row` read or unread, in the list and the badge (archived ones are not counted).
    private mutating func setRead(_ row: InboxRow, _ read: Bool) -> [Effect] {
        inbox.setRead(row.id, read)
        if !inbox.showsArchived, let unread = inbox.unread { inbox.unread = max(0, unread + (read ? -1 : 1)) }
        return [.markRead(row.id, read: read)]
    }

    /// What the notifier sent back: a list, a count, news, or where a notification leads.
    mutating func reduceInboxResult(_ action: Action) -> [Effect] {
        switch action {
        case .inboxLoaded(let archived, let list):
            if archived == inbox.showsArchived { inbox.setEntries(list, visibleRows: layout.listRows) }
            return []
        case .inboxCounted(let unread, let newest):
            return receiveCount(unread: unread, newest: newest)
        case .notificationsArrived(let list):
            announce(list)
            return []
        case .notificationOpened(let target):
            inbox.isOpening = false
            switch target {
            case .gone:
                message = StatusMessage("Its item is gone: deleted, in the trash, or no longer shared with you", kind: .error)
                return []
            case .folder(let path):
                return enterFolder(path, selecting: nil)
            case .file(let path, let version):
                let effects = showVersions(of: path)
                versions.selectOnLoad = version
                return effects
            }
        default:
            return []
        }
    }

    /// A fresh count: the badge follows it. Notifications newer than those announced are fetched
    /// to announce them; the first count only sets where news starts (what was there before
    /// the app opened is not news). The list shown follows any change, also one made elsewhere.
    private mutating func receiveCount(unread: Int, newest: Int64) -> [Effect] {
        let isFirst = inbox.newestID == nil
        let changed = inbox.unread != unread || inbox.newestID != newest
        inbox.unread = unread
        inbox.newestID = newest
        if isFirst { inbox.announcedThrough = newest }
        var effects: [Effect] = []
        if newest > inbox.announcedThrough { effects.append(.loadNewNotifications(after: inbox.announcedThrough)) }
        if changed && !isFirst && view == .inbox { effects.append(.loadInbox(archived: inbox.showsArchived)) }
        return effects
    }

    /// The status line's toast for notifications not announced yet (newest first): "bob edited
    /// report.txt (and 2 more) · 8: Inbox". Those already read elsewhere are not news.
    private mutating func announce(_ list: [InboxRow]) {
        let fresh = list.filter { $0.id > inbox.announcedThrough && !$0.isRead }
        inbox.announcedThrough = max(inbox.announcedThrough, list.map(\.id).max() ?? 0)
        guard let newest = fresh.first else { return }
        var text = newest.title
        if fresh.count > 1 { text += " (and \(fresh.count - 1) more)" }
        if view != .inbox { text += " · \(ViewID.inbox.key): \(ViewID.inbox.title)" }
        message = StatusMessage(text)
    }
}
