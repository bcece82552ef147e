import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// Golden screens of sharing at 100×30 over the demo drive (fixed clock, dark theme, UTC):
/// the two views, the share dialog, a share seen by a viewer, and help dimming what the role
/// does not allow. RECORD_SNAPSHOTS=1 re-records.
@MainActor
@Suite struct SharingScreenTests {
    @Test func sharedWithMe() async throws {
        let harness = try await Harness(demo: DemoStore(), user: "minji")
        try await harness.press(.character("6"))
        #expect(harness.screen.contains("한국어 폴더/"))
        harness.verify("shared-with-me")
    }

    @Test func sharedByMe() async throws {
        let harness = try await Harness(demo: DemoStore(), user: "minji")
        try await harness.press(.character("7"))
        #expect(harness.screen.contains("/문서/"))
        harness.verify("shared-by-me")
    }

    @Test func shareDialogWithCompletionAndExistingShares() async throws {
        let harness = try await Harness(demo: DemoStore(), user: "minji")
        try await harness.select("문서")
        try await harness.press(.character("s"), .character("j"), .tab)
        guard case .share(let share)? = harness.app.state.dialog else { Issue.record("no share dialog"); return }
        #expect(share.field.text == "junho")
        #expect(share.shares.map(\.userName) == ["alice", "bob"])
        harness.verify("dialog-share")
        try await harness.press(.down, .down, .down)
        harness.verify("dialog-share-rows", styled: true)
    }

    @Test func aViewerInsideAShare() async throws {
        let harness = try await Harness(demo: DemoStore(), user: "bob")
        try await harness.press(.character("6"), .enter)
        try await harness.select("회의록.md")
        #expect(harness.app.state.browser.folder.description == "/shared/문서")
        harness.verify("browser-shared-viewer", styled: true)
        try await harness.press(.character("?"), .pageDown)
        #expect(harness.screen.contains("Move the selection to the trash — needs editor"))
        harness.verify("help-viewer")
    }
}

extension Harness {
    /// Moves the browser's selection down to the item called `name`.
    func select(_ name: String) async throws {
        for _ in 0..<app.state.browser.rows.count where app.state.browser.selectedEntry?.item.name != name {
            try await press(.character("j"))
        }
        try #require(app.state.browser.selectedEntry?.item.name == name)
    }
}
