import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// Sharing through the app's loop over the demo store: the engine stays the authority, and a
/// share that goes away reaches an open session at once.
@MainActor
@Suite struct SharingAppLoopTests {
    @Test func unsharingReachesAnOpenSessionInsideTheShare() async throws {
        let demo = try DemoStore()
        let bob = try await Harness(demo: demo, user: "bob")
        try await bob.press(.character("6"), .enter, .end, .character("v"))
        #expect(bob.app.state.view == .versions)
        #expect(bob.app.state.versions.path?.description == "/shared/문서/회의록.md")
        let before = try demo.drive.latestSequence()
        try demo.session("minji").unshare("/문서", with: "bob")
        try await bob.changedElsewhere(demo.drive, since: before)
        #expect(bob.app.state.view == .sharedWithMe)
        #expect(bob.app.state.versions.path == nil)
        #expect(bob.screen.contains("minji stopped sharing ‘문서’ with you: back to Shared with me"))
        #expect(bob.screen.contains("Nothing is shared with you yet"))
        try await bob.press(.character("1"))
        #expect(bob.app.state.browser.folder.description == "/shared")
        #expect(bob.app.state.message == nil, "no stuck error")
    }

    @Test func aViewerIsRefusedByTheKeysAndByTheEngine() async throws {
        let demo = try DemoStore()
        let bob = try await Harness(demo: demo, user: "bob")
        try await bob.press(.character("6"), .enter, .end, .character("x"))
        #expect(bob.screen.contains("Moving to the trash needs editor: you are a viewer of /shared/문서/회의록.md"))
        // The command line goes straight to the engine, which refuses with its own message.
        try await bob.press(.character(":"))
        try await bob.type("rm 회의록.md")
        try await bob.press(.enter)
        #expect(bob.app.state.message?.kind == .error)
        #expect(bob.app.state.message?.text.contains("needs the editor role") == true)
        #expect(try demo.session("minji").list("/문서").contains { $0.item.name == "회의록.md" })
    }

    @Test func anEditorMakesAFolderInsideAShare() async throws {
        let demo = try DemoStore()
        let minji = try await Harness(demo: demo, user: "minji")
        try await minji.press(.character("6"), .character("j"), .enter, .character("n"))
        try await minji.type("새 폴더")
        try await minji.press(.enter)
        #expect(minji.app.state.browser.selectedEntry?.item.name == "새 폴더")
        #expect(try demo.session("junho").list("/한국어 폴더").contains { $0.item.name == "새 폴더" })
    }

    @Test func sharingAndRevokingFromTheDialog() async throws {
        let demo = try DemoStore()
        let minji = try await Harness(demo: demo, user: "minji")
        try await minji.select("Backup")
        try await minji.press(.character("s"))
        try await minji.type("ju")
        try await minji.press(.tab, .down, .character(" "), .enter)
        #expect(minji.screen.contains("Shared /Backup with junho as editor"))
        #expect(try demo.session("junho").list("/shared").contains { $0.item.name == "Backup" && $0.role == .editor })
        #expect(minji.screen.contains("junho (editor)"), "the details pane lists the share")
        try await minji.press(.character("7"))
        #expect(minji.screen.contains("/Backup/"))
        try await minji.press(.character("g"), .character("x"), .character("y"))
        #expect(minji.screen.contains("Stopped sharing /Backup with junho"))
        #expect(try demo.session("minji").sharing().sharedByMe.allSatisfy { $0.path.description != "/Backup" })
    }
}
