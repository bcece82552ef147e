import DriveEngine
@testable import DriveTUI
import Foundation
import Notifier
import ScreenKit
import Testing

/// The inbox through the app's loop, live: the journal watcher and a notification service run
/// as in the app, and another `Drive` on the store (another process, as far as the store can
/// tell) makes the change.
@MainActor
@Suite struct InboxAppLoopTests {
    @Test func anEditElsewhereRaisesTheBadgeAndIsAnnouncedWithNoKeyPressed() async throws {
        let harness = try await Harness { try $0.session.share(TestDrive.report, with: "alice", role: .editor) }
        #expect(harness.app.state.inbox.unread == 0)
        #expect(harness.screen.contains("inbox 0"))
        let service = NotificationService(drive: harness.drive.drive, providers: [])
        service.start()
        defer { service.stop() }
        let mailbox = harness.app.mailbox
        let watcher = JournalWatcher(session: harness.drive.session) { mailbox.post(.action($0)) }
        defer { watcher.stop() }

        let alice = try Drive.open(at: harness.drive.root.appendingPathComponent("store"), create: false).session(for: "alice")
        for text in ["alice's first\n", "alice's second\n"] {
            try alice.put(local: try harness.drive.writeLocal("alice.txt", Data(text.utf8)), to: "/shared/보고서.txt")
        }
        #expect(harness.pump { $0.state.inbox.unread == 2 }, "the badge did not rise: \(harness.screen)")
        #expect(harness.pump { $0.state.message != nil }, "nothing was announced: \(harness.screen)")
        #expect(harness.screen.contains("inbox 2"))
        #expect(harness.screen.contains("alice edited 보고서.txt"), "\(harness.screen)")

        // The older one: its version, not the head.
        try await harness.press(.character("8"), .character("j"), .enter)
        #expect(harness.app.state.view == .versions)
        #expect(harness.app.state.versions.path?.description == TestDrive.report)
        #expect(harness.app.state.versions.selected?.version.number == 4)
        #expect(harness.app.state.versions.selected?.isHead == false)
        #expect(harness.app.state.inbox.unread == 1)
        #expect(try harness.drive.drive.notifier.inboxSummary(for: harness.drive.session.user.id!).unread == 1,
                "Enter marked it read in the store")
    }
}
