import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// Golden screens of every view at 100×30 (and a few at 80×24 and below the minimum), from a
/// real store with a fixed clock, the dark theme and UTC. RECORD_SNAPSHOTS=1 re-records.
@MainActor
@Suite struct ScreenSnapshotTests {
    @Test func browserAtTheRoot() async throws {
        let harness = try await Harness()
        harness.verify("browser-root", styled: true)
    }

    @Test func browserInAFolderWithKoreanAndLongNames() async throws {
        let harness = try await Harness()
        try await harness.press(.enter)  // Documents
        try await harness.press(.character("j"), .character("j"))
        harness.verify("browser-documents")
    }

    @Test func detailsOfAFileWithVersions() async throws {
        let harness = try await Harness()
        try await harness.press(.enter, .character("j"))  // Documents, then 보고서.txt
        let screen = harness.screen
        #expect(screen.contains("보고서.txt"))
        #expect(screen.contains("3 (1 pinned)"))
        harness.verify("browser-details")
    }

    @Test func filterAsYouType() async throws {
        let harness = try await Harness()
        try await harness.press(.enter, .character("/"))
        try await harness.type("no")
        harness.verify("browser-filter")
    }

    @Test func versionsView() async throws {
        let harness = try await Harness()
        try await harness.press(.enter, .character("j"), .character("v"))
        harness.verify("versions", styled: true)
    }

    @Test func previewOfATextVersion() async throws {
        let harness = try await Harness()
        try await harness.press(.enter, .character("j"), .character("v"), .character("j"), .enter)
        #expect(harness.screen.contains("매출: 120"))
        harness.verify("pager-text")
    }

    @Test func hexSummaryOfABinaryFile() async throws {
        let harness = try await Harness()
        try await harness.press(.character("j"), .character("j"), .enter)  // 사진
        try await harness.press(.enter)  // icon.png
        #expect(harness.screen.contains("89 50 4e 47"))
        harness.verify("pager-hex")
    }

    @Test func colouredDiffAgainstThePreviousVersion() async throws {
        let harness = try await Harness()
        try await harness.press(.enter, .character("j"), .character("v"), .character("d"))
        harness.verify("pager-diff", styled: true)
    }

    @Test func restoreAsksFirst() async throws {
        let harness = try await Harness()
        try await harness.press(.enter, .character("j"), .character("v"), .character("G"), .character("r"))
        harness.verify("dialog-restore")
    }

    @Test func promptForANewFolder() async throws {
        let harness = try await Harness()
        try await harness.press(.character("n"))
        try await harness.type("새 폴더")
        harness.verify("dialog-new-folder", styled: true)
    }

    @Test func trashView() async throws {
        let harness = try await Harness()
        try await harness.press(.character("3"))
        harness.verify("trash")
    }

    @Test func storageView() async throws {
        let harness = try await Harness()
        try await harness.press(.character("4"))
        harness.verify("storage")
    }

    @Test func helpView() async throws {
        let harness = try await Harness()
        try await harness.press(.character("?"))
        harness.verify("help")
    }

    /// Newest first, unread marked; Hangul titles and bodies cut to their columns by display
    /// width; the badge counts what is unread.
    @Test func inboxView() async throws {
        let harness = try await Harness { try $0.giveMinjiNotifications() }
        #expect(harness.screen.contains("inbox 3"))
        try await harness.press(.character("8"), .character("j"), .character("r"))
        #expect(harness.screen.contains("alice made the folder 회의 자료"))
        #expect(harness.screen.contains("inbox 2"))
        harness.verify("inbox", styled: true)
    }

    @Test func inboxAt80x24() async throws {
        let harness = try await Harness(width: 80, height: 24) { try $0.giveMinjiNotifications() }
        try await harness.press(.character("8"))
        harness.verify("inbox-80x24")
    }

    @Test func browserAt80x24() async throws {
        let harness = try await Harness(width: 80, height: 24)
        try await harness.press(.enter)
        harness.verify("browser-80x24")
        try await harness.press(.tab)
        harness.verify("details-80x24")
    }

    @Test func versionsAt80x24() async throws {
        let harness = try await Harness(width: 80, height: 24)
        try await harness.press(.enter, .character("j"), .character("v"))
        harness.verify("versions-80x24")
    }

    @Test func tooSmallShowsAMessageInsteadOfGarbage() async throws {
        let harness = try await Harness()
        try await harness.resize(width: 59, height: 15)
        #expect(harness.screen.contains("Terminal too small"))
        harness.verify("too-small")
        try await harness.resize(width: 60, height: 14)
        #expect(harness.screen.contains("Terminal too small"))
        try await harness.resize(width: 60, height: 15)
        #expect(!harness.screen.contains("Terminal too small"))
        #expect(harness.screen.contains("My Drive"))
    }

    @Test func noColorKeepsSelectionVisibleWithAttributes() async throws {
        let harness = try await Harness(theme: Harness.theme.monochrome)
        harness.verify("browser-root-no-color", styled: true)
    }
}
