import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// The app's loop over a real store: typing ahead, background work and its results.
@MainActor
@Suite struct AppLoopTests {
    @Test func keysTypedWhileLoadingActOnWhatArrives() async throws {
        let harness = try await Harness()
        // All at once, as a fast typist (or tmux send-keys) delivers them.
        harness.terminal.enqueue([.key(.enter), .key(.character("j")), .key(.character("v"))])
        harness.app.handle(.inputReady)
        try await harness.settle()
        #expect(harness.app.state.view == .versions)
        #expect(harness.app.state.versions.path?.description == TestDrive.report)
        harness.terminal.enqueue([.key(.character("G")), .key(.enter), .key(.character("q"))])
        harness.app.handle(.inputReady)
        try await harness.settle()
        #expect(harness.app.state.pager == nil, "q closed the preview, not the app")
        #expect(!harness.app.state.shouldQuit)
    }

    @Test func restoringMakesANewHeadVersion() async throws {
        let harness = try await Harness()
        try await harness.press(.enter, .character("j"), .character("v"), .character("G"), .character("r"), .character("y"))
        let log = try harness.drive.session.log(TestDrive.report)
        #expect(log.first?.version.number == 4)
        #expect(log.first?.version.restoredFrom == 1)
        #expect(harness.app.state.versions.selected?.version.number == 4)
        #expect(harness.screen.contains("the new head is version 4"))
    }

    @Test func addingAFolderThroughThePromptWithCompletion() async throws {
        let harness = try await Harness()
        try harness.drive.writeLocal("사진 모음/a.txt", Data("a".utf8))
        try harness.drive.writeLocal("사진 모음/b.txt", Data("b".utf8))
        try await harness.press(.character("a"))
        try await harness.type("사")
        try await harness.press(.tab)
        guard case .prompt(let prompt)? = harness.app.state.dialog else { Issue.record("no prompt"); return }
        #expect(prompt.field.text.hasSuffix("/사진 모음/"))
        try await harness.press(.enter)
        #expect(harness.app.state.job == nil)
        #expect(harness.screen.contains("Added /사진 모음: 2 files stored"))
        #expect(harness.app.state.browser.selectedEntry?.item.name == "사진 모음")
        #expect(try harness.drive.session.list("/사진 모음").count == 2)
    }

    @Test func aFolderBiggerThanTheFirstReadOpensWhole() async throws {
        let harness = try await Harness()
        for index in 0..<400 { _ = try harness.drive.writeLocal(String(format: "big/f%03d.txt", index), Data()) }
        let before = try harness.drive.drive.latestSequence()
        _ = try harness.drive.session.put(local: harness.drive.local.appendingPathComponent("big").path, to: "/big")
        try await harness.changedElsewhere(harness.drive.drive, since: before)
        // cd to a file past the first entries read: its folder opens with that file selected.
        try await harness.press(.character(":"))
        try await harness.type("cd /big/f350.txt")
        try await harness.press(.enter)
        #expect(harness.app.state.browser.entries.count == 400)
        #expect(harness.app.state.browser.selectedEntry?.item.name == "f350.txt")
        #expect(harness.screen.contains("400 items"))
    }

    @Test func changesFromAnotherProcessShowUp() async throws {
        let harness = try await Harness()
        let file = try harness.drive.writeLocal("new.txt", Data("new".utf8))
        let before = try harness.drive.drive.latestSequence()
        _ = try harness.drive.session.put(local: file, to: "/new.txt")
        try await harness.changedElsewhere(harness.drive.drive, since: before)
        #expect(harness.screen.contains("new.txt"))
        // A new file in a folder not on screen reloads nothing.
        let other = try harness.drive.writeLocal("other.txt", Data("other".utf8))
        let again = try harness.drive.drive.latestSequence()
        _ = try harness.drive.session.put(local: other, to: "/Projects/other.txt")
        var state = harness.app.state
        #expect(reduce(&state, .driveChanged(try harness.drive.drive.latestSequence(),
                                             entries: try harness.drive.drive.journal(after: again))).isEmpty)
    }

    @Test func errorsReachTheStatusLine() async throws {
        let harness = try await Harness()
        try await harness.press(.character(":"))
        try await harness.type("mkdir Documents")
        try await harness.press(.enter)
        #expect(harness.screen.contains("mkdir /Documents: a folder with this name exists"))
        try await harness.press(.character("j"))
        #expect(!harness.screen.contains("a folder with this name exists"))
    }

    @Test func trashingAndPuttingBack() async throws {
        let harness = try await Harness()
        try await harness.press(.end, .character("x"))
        #expect(try harness.drive.session.trashList().count == 2)
        try await harness.press(.character("3"))
        #expect(harness.screen.contains("README.md"))
        try await harness.press(.character("r"))
        #expect(try harness.drive.session.trashList().count == 1)
        try await harness.press(.character("P"), .character("y"))
        #expect(try harness.drive.session.trashList().isEmpty)
        #expect(harness.screen.contains("The trash is empty"))
    }
}
