import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// Moving into a folder, downloading over a local file or into a local folder, and the `:`
/// options, through the app's loop over a real store and real local files.
@MainActor
@Suite struct TransferAndMoveAppLoopTests {
    @Test func theMoveDialogRefusesAFolderThatDoesNotExist() async throws {
        let demo = try DemoStore()
        let minji = try await Harness(demo: demo, user: "minji")
        try await minji.select("문서")
        try await minji.press(.enter)
        try await minji.select("회의록.md")
        try await minji.press(.character("m"), .ctrl("u"))
        try await minji.type("/nope")
        try await minji.press(.enter)
        #expect(minji.app.state.message?.kind == .error)
        #expect(minji.screen.contains("no folder /nope: type an existing folder"))
        let session = try demo.session("minji")
        #expect(throws: DriveError.self) { try session.item(at: "/nope") }
        #expect(try session.item(at: "/문서/회의록.md").isFolder == false, "nothing moved or renamed")

        // A file is no folder either.
        try await minji.press(.character("m"), .ctrl("u"))
        try await minji.type("/문서/예산.csv")
        try await minji.press(.enter)
        #expect(minji.screen.contains("/문서/예산.csv is a file, not a folder: type an existing folder"))
        #expect(try session.item(at: "/문서/예산.csv").size > 0)

        // An existing folder takes it in.
        try await minji.press(.character("m"), .ctrl("u"))
        try await minji.type("/")
        try await minji.press(.enter)
        #expect(minji.screen.contains("Moved /문서/회의록.md to /회의록.md"))
        #expect(try session.item(at: "/회의록.md").isFolder == false)
    }

    @Test func renameStaysARename() async throws {
        let harness = try await Harness()
        try await harness.select("README.md")
        try await harness.press(.character("R"), .ctrl("u"))
        try await harness.type("nope")
        try await harness.press(.enter)
        #expect(harness.screen.contains("Moved /README.md to /nope"))
    }

    @Test func downloadingOverALocalFileAsksFirst() async throws {
        let harness = try await Harness()
        let local = try harness.drive.writeLocal("README.md", Data("mine\n".utf8))
        try await harness.select("README.md")
        try await harness.press(.character("D"), .enter)
        guard case .confirm(let confirm)? = harness.app.state.dialog else { Issue.record("no confirm"); return }
        #expect(confirm.message.first == "Replace \(local)?")
        #expect(harness.app.state.job == nil)
        #expect(!harness.screen.contains("--force"))
        try await harness.press(.character("n"))
        #expect(harness.app.state.dialog == nil)
        #expect(try String(contentsOfFile: local, encoding: .utf8) == "mine\n", "no leaves it")

        try await harness.press(.character("D"), .enter, .character("y"))
        #expect(harness.app.state.dialog == nil)
        #expect(harness.app.state.message?.text.hasPrefix("Downloaded /README.md to \(local) (1 file") == true)
        #expect(try String(contentsOfFile: local, encoding: .utf8) == "# Cairn\n\nA drive for the terminal.\n")
    }

    @Test func downloadingIntoALocalFolderPutsTheFileInside() async throws {
        let harness = try await Harness()
        let folder = harness.drive.local.appendingPathComponent("받은 파일").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await harness.select("README.md")
        try await harness.press(.character("D"), .ctrl("u"))
        try await harness.type(folder)
        try await harness.press(.enter)
        #expect(harness.app.state.dialog == nil)
        #expect(harness.app.state.message?.text.hasPrefix("Downloaded /README.md to \(folder)/README.md (1 file") == true)
        #expect(try String(contentsOfFile: folder + "/README.md", encoding: .utf8).hasPrefix("# Cairn"))

        // Again: the file inside is what would be replaced, so that is what is asked about.
        try await harness.press(.character("D"), .ctrl("u"))
        try await harness.type(folder + "/")
        try await harness.press(.enter)
        guard case .confirm(let confirm)? = harness.app.state.dialog else { Issue.record("no confirm"); return }
        #expect(confirm.message.first == "Replace \(folder)/README.md?")
        try await harness.press(.character("y"))
        #expect(harness.app.state.message?.text.hasPrefix("Downloaded /README.md to \(folder)/README.md (1 file") == true)
    }

    @Test func theCommandLineTakesGetAndRestoreOptions() async throws {
        let harness = try await Harness()
        let local = try harness.drive.writeLocal("report.txt", Data("mine\n".utf8))
        try await harness.press(.character(":"))
        try await harness.type("get \(TestDrive.report) \(local) --version 1 --force")
        try await harness.press(.enter)
        #expect(harness.app.state.dialog == nil, "--force replaces without asking")
        #expect(try String(contentsOfFile: local, encoding: .utf8) == TestDrive.reportVersions[0])

        try await harness.press(.character(":"))
        try await harness.type("restore \(TestDrive.report) --version 2")
        try await harness.press(.enter)
        #expect(try harness.drive.session.log(TestDrive.report).first?.version.restoredFrom == 2)

        try await harness.press(.character(":"))
        try await harness.type("mkdir -p /a/b/c")
        try await harness.press(.enter)
        #expect(try harness.drive.session.item(at: "/a/b/c").isFolder)
    }
}
