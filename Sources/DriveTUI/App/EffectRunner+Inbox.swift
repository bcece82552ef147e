import DriveEngine
import Notifier

extension EffectRunner {
    /// The result of an inbox effect: the notifier's answer for this session's user. A change
    /// answers with the new count, so the badge is the notifier's, not a guess.
    func performInbox(_ effect: Effect) throws(DriveError) -> Action {
        let notifier = session.drive.notifier
        let me = session.user.id ?? 0
        do throws(NotifierError) {
            switch effect {
            case .loadInbox(let archived):
                return .inboxLoaded(archived: archived, try notifier.inbox(for: me, archived: archived).map(InboxRow.init))
            case .loadNewNotifications(let after):
                return .notificationsArrived(try notifier.inbox(for: me, afterId: after, limit: 100).map(InboxRow.init))
            case .markRead(let id, let read):
                try notifier.markRead(id, read: read, for: me)
            case .markAllRead:
                try notifier.markAllRead(for: me)
            case .archive(let id, let unarchive):
                try notifier.archive(id, unarchive: unarchive, for: me)
            default:
                break  // .countInbox
            }
            let summary = try notifier.inboxSummary(for: me)
            return .inboxCounted(unread: summary.unread, newest: summary.latestId)
        } catch {
            throw DriveError(error)
        }
    }

    /// Where a notification's link leads now: the path this user sees its item at (it may have
    /// moved since), or gone.
    func open(_ link: NotificationLink) throws(DriveError) -> Action {
        guard let shown = try session.visiblePath(ofItem: link.item) else { return .notificationOpened(.gone) }
        let path = try DrivePath(shown)
        let item = try session.item(at: shown)
        return .notificationOpened(item.isFolder ? .folder(path) : .file(path, version: link.version))
    }
}

extension InboxRow {
    /// The row for a notifier inbox entry.
    init(_ entry: InboxEntry) {
        self.init(id: entry.id, kind: entry.kind, title: entry.title, body: entry.body,
                  link: entry.link.flatMap(NotificationLink.init), createdAt: entry.createdAt, isRead: entry.isRead)
    }
}

extension DriveError {
    /// A notifier failure as the status line shows errors.
    init(_ error: NotifierError) {
        let code: Code = switch error.code {
        case .invalidArgument: .invalidArgument
        case .notFound: .notFound
        case .io: .io
        case .busy: .busy
        }
        self.init(code, "notifications", error.subject, error.reason, hint: error.hint ?? "")
    }
}
