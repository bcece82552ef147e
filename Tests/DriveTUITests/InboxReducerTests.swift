@testable import DriveEngine
@testable import DriveTUI
import ScreenKit
import Testing

/// The Inbox view and the badge through the keymap and the reducer: opening, marking, archiving,
/// filtering, and news arriving.
@Suite struct InboxReducerTests {
    static let file = try! DrivePath("/a.txt")

    /// The Inbox view with four notifications, newest first; two unread (the badge says 2).
    static func inbox() -> AppState {
        var state = Fixtures.browsing()
        #expect(reduce(&state, .inboxCounted(unread: 2, newest: 4)).isEmpty)
        #expect(Fixtures.press(&state, .character("8")) == [.loadInbox(archived: false)])
        #expect(state.view == .inbox && state.isLoading, "keys wait for the list")
        _ = reduce(&state, .inboxLoaded(archived: false, [
            Fixtures.notification(4, "alice edited a.txt"),
            Fixtures.notification(3, "alice shared 문서 with you", kind: "share", read: true, item: 9, version: nil),
            Fixtures.notification(2, "bob deleted b.txt", kind: "trash", item: nil),
            Fixtures.notification(1, "alice edited a.txt", read: true, version: 1),
        ]))
        return state
    }

    @Test func theInboxHasTheNextNumberKey() {
        #expect(ViewID.inbox.key == "8")
        let state = Self.inbox()
        #expect(!state.isLoading)
        #expect(state.inbox.rows.map(\.id) == [4, 3, 2, 1])
        #expect(state.inbox.selected?.id == 4)
    }

    @Test func enterOpensTheFileAtTheNotificationsVersionAndMarksItRead() {
        var state = Self.inbox()
        #expect(Fixtures.press(&state, .enter) == [.markRead(4, read: true), .openLink(NotificationLink(item: 7, version: 2))])
        #expect(state.inbox.selected?.isRead == true)
        #expect(state.inbox.unread == 1, "the badge follows at once")
        #expect(state.isLoading, "keys typed meanwhile wait for the Versions view")
        #expect(reduce(&state, .notificationOpened(.file(Self.file, version: 2))) == [.loadVersions(Self.file)])
        #expect(state.view == .versions)
        _ = reduce(&state, .versionsLoaded(Self.file, [
            Fixtures.version(3, head: true), Fixtures.version(2, pinned: true), Fixtures.version(1),
        ]))
        #expect(state.versions.selected?.version.number == 2, "the notification's version, not the head")
        _ = reduce(&state, .versionsLoaded(Self.file, [Fixtures.version(3, head: true), Fixtures.version(2), Fixtures.version(1)]))
        #expect(state.versions.selected?.version.number == 2, "a reload keeps the selection")
    }

    @Test func openingAReadNotificationOrAFolderOrOneThatIsGone() {
        var state = Self.inbox()
        Fixtures.press(&state, .character("j"))
        #expect(Fixtures.press(&state, .enter) == [.openLink(NotificationLink(item: 9))], "already read: nothing to mark")
        let folder = try! DrivePath("/shared/문서")
        #expect(reduce(&state, .notificationOpened(.folder(folder))) == [.list(folder)])
        #expect(state.view == .drive && state.browser.folder == folder)

        state = Self.inbox()
        Fixtures.press(&state, .enter)
        #expect(reduce(&state, .notificationOpened(.gone)).isEmpty)
        #expect(state.view == .inbox && !state.isLoading)
        #expect(state.message?.kind == .error && state.message?.text.contains("gone") == true)
    }

    @Test func aNotificationWithoutALinkIsOnlyMarkedRead() {
        var state = Self.inbox()
        Fixtures.press(&state, .character("j"), .character("j"))
        #expect(Fixtures.press(&state, .enter) == [.markRead(2, read: true)])
        #expect(state.view == .inbox && !state.isLoading)
        #expect(state.message?.text.contains("no file or folder") == true)
    }

    @Test func rTogglesReadAndTheBadgeFollows() {
        var state = Self.inbox()
        #expect(Fixtures.press(&state, .character("r")) == [.markRead(4, read: true)])
        #expect(state.inbox.unread == 1)
        #expect(Fixtures.press(&state, .character("r")) == [.markRead(4, read: false)])
        #expect(state.inbox.unread == 2 && state.inbox.selected?.isRead == false)
        // The notifier's answer agrees: nothing to reload.
        #expect(reduce(&state, .inboxCounted(unread: 2, newest: 4)).isEmpty)
    }

    @Test func capitalRMarksEverythingRead() {
        var state = Self.inbox()
        #expect(Fixtures.press(&state, .character("R")) == [.markAllRead])
        #expect(state.inbox.rows.allSatisfy(\.isRead) && state.inbox.unread == 0)
        #expect(Keymap.action(for: .character("R"), in: state) == .explain("Nothing is unread"))
    }

    @Test func archivingAndTheArchive() {
        var state = Self.inbox()
        #expect(Fixtures.press(&state, .character("x")) == [.archive(4, unarchive: false)])
        #expect(state.inbox.rows.map(\.id) == [3, 2, 1])
        #expect(state.inbox.unread == 1, "an unread one archived is no longer counted")
        #expect(Fixtures.press(&state, .character("A")) == [.loadInbox(archived: true)])
        #expect(state.inbox.showsArchived && state.inbox.rows.isEmpty && state.isLoading)
        // A late answer for the inbox does not land in the archive.
        _ = reduce(&state, .inboxLoaded(archived: false, [Fixtures.notification(3, "late")]))
        #expect(state.inbox.rows.isEmpty)
        _ = reduce(&state, .inboxLoaded(archived: true, [Fixtures.notification(4, "alice edited a.txt", read: true)]))
        #expect(Fixtures.press(&state, .delete) == [.archive(4, unarchive: true)], "in the archive, x puts it back")
        #expect(state.inbox.rows.isEmpty)
        #expect(Keymap.action(for: .character("x"), in: state) == .explain("Nothing is archived"))
        #expect(Fixtures.press(&state, .character("A")) == [.loadInbox(archived: false)])
        #expect(!state.inbox.showsArchived)
    }

    @Test func fCyclesThroughTheKindsThenShowsEveryKind() {
        var state = Self.inbox()
        var seen: [[Int64]] = []
        for _ in 0..<4 {
            #expect(Fixtures.press(&state, .character("f")).isEmpty)
            seen.append(state.inbox.rows.map(\.id))
        }
        #expect(seen == [[4, 1], [3], [2], [4, 3, 2, 1]], "put, share, trash, then all")
        #expect(state.inbox.kind == nil)
        Fixtures.press(&state, .character("f"), .character("f"))
        #expect(InboxView.paneTitle(state.inbox) == "Inbox · only share")
        // A new list keeps the filter.
        _ = reduce(&state, .inboxLoaded(archived: false, [Fixtures.notification(5, "alice shared x", kind: "share")]
            + [Fixtures.notification(4, "alice edited a.txt")]))
        #expect(state.inbox.rows.map(\.id) == [5])
    }

    @Test func theFirstCountSetsTheBadgeAndLaterNewsIsAnnouncedOnce() {
        var state = Fixtures.browsing()
        #expect(state.inbox.unread == nil)
        #expect(reduce(&state, .inboxCounted(unread: 3, newest: 10)).isEmpty, "what was there at start is not news")
        #expect(state.inbox.unread == 3 && state.message == nil)
        #expect(reduce(&state, .inboxCounted(unread: 4, newest: 11)) == [.loadNewNotifications(after: 10)])
        #expect(state.inbox.unread == 4)
        let news = [Fixtures.notification(11, "bob edited 보고서.txt")]
        _ = reduce(&state, .notificationsArrived(news))
        #expect(state.message?.text == "bob edited 보고서.txt · 8: Inbox")
        state.message = nil
        _ = reduce(&state, .notificationsArrived(news))
        #expect(state.message == nil, "announced once")
        #expect(reduce(&state, .inboxCounted(unread: 4, newest: 11)).isEmpty)
        // Three at once, one of them read elsewhere already; in the Inbox the list follows too.
        Fixtures.press(&state, .character("8"))
        #expect(reduce(&state, .inboxCounted(unread: 6, newest: 14))
            == [.loadNewNotifications(after: 11), .loadInbox(archived: false)])
        _ = reduce(&state, .notificationsArrived([
            Fixtures.notification(14, "bob edited a.txt"), Fixtures.notification(13, "bob edited b.txt"),
            Fixtures.notification(12, "bob deleted c.txt", kind: "trash", read: true),
        ]))
        #expect(state.message?.text == "bob edited a.txt (and 1 more)")
        // A count changed elsewhere (read in another window) reloads the list shown.
        #expect(reduce(&state, .inboxCounted(unread: 2, newest: 14)) == [.loadInbox(archived: false)])
    }

    @Test func linksAreParsed() {
        #expect(NotificationLink("cairn:item/12/version/3") == NotificationLink(item: 12, version: 3))
        #expect(NotificationLink("cairn:item/12") == NotificationLink(item: 12))
        for bad in ["cairn:item/x", "cairn:item/12/version", "cairn:item/12/version/x", "https://example.com/item/12", ""] {
            #expect(NotificationLink(bad) == nil, "\(bad)")
        }
    }
}
