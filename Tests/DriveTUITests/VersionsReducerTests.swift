@testable import DriveEngine
@testable import DriveTUI
import ScreenKit
import Testing

/// Versions, trash, dialogs, the command line and resizing, through the reducer.
@Suite struct VersionsReducerTests {
    static let file = try! DrivePath("/a.txt")

    /// A state in the Versions view of /a.txt with versions 3 (head), 2 (pinned) and 1.
    static func versions() -> AppState {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("j"), .character("j"))
        #expect(Fixtures.press(&state, .character("v")) == [.loadVersions(file)])
        _ = reduce(&state, .versionsLoaded(file, [
            Fixtures.version(3, head: true), Fixtures.version(2, pinned: true), Fixtures.version(1),
        ]))
        return state
    }

    @Test func previewDiffAndPin() {
        var state = Self.versions()
        #expect(state.view == .versions)
        #expect(Fixtures.press(&state, .enter) == [.preview(Self.file, version: 3)])
        #expect(Fixtures.press(&state, .character("d")) == [.diff(Self.file, old: 2, new: 3)])
        #expect(Fixtures.press(&state, .character("j"), .character("p")) == [.setPinned(Self.file, version: 2, pinned: false)])
        Fixtures.press(&state, .character("j"))
        #expect(Keymap.action(for: .character("d"), in: state) == .explain("Version 1 has no earlier version to compare with"))
    }

    @Test func restoreConfirmsThenSelectsTheNewHead() {
        var state = Self.versions()
        #expect(Keymap.action(for: .character("r"), in: state) == .explain("This is already the head version"))
        Fixtures.press(&state, .character("G"))
        #expect(Fixtures.press(&state, .character("r")).isEmpty)
        guard case .confirm(let confirm)? = state.dialog else { Issue.record("no confirm"); return }
        #expect(confirm.message.joined(separator: " ").contains("new head version 4"))
        #expect(Fixtures.press(&state, .character("n")).isEmpty)
        #expect(state.dialog == nil)
        Fixtures.press(&state, .character("r"))
        #expect(Fixtures.press(&state, .character("y")) == [.restoreVersion(Self.file, version: 1)])
        let effects = reduce(&state, .changed("Restored"))
        #expect(effects.contains(.loadVersions(Self.file)))
        _ = reduce(&state, .versionsLoaded(Self.file, [
            Fixtures.version(4, head: true), Fixtures.version(3), Fixtures.version(2, pinned: true), Fixtures.version(1),
        ]))
        #expect(state.versions.selected?.version.number == 4)
    }

    @Test func ctrlCQuitsEvenFromADialog() {
        var state = Self.versions()
        Fixtures.press(&state, .character("G"), .character("r"))
        #expect(state.dialog != nil)
        Fixtures.press(&state, .ctrl("c"))
        #expect(state.shouldQuit)
    }

    @Test func numberKeysJumpToViews() {
        var state = Fixtures.browsing()
        #expect(Fixtures.press(&state, .character("3")) == [.loadTrash])
        #expect(state.view == .trash)
        #expect(Fixtures.press(&state, .character("4")) == [.loadStats])
        Fixtures.press(&state, .character("5"))
        #expect(state.view == .help)
        Fixtures.press(&state, .character("1"))
        #expect(state.view == .drive)
        Fixtures.press(&state, .character("?"))
        #expect(state.view == .help)
        Fixtures.press(&state, .character("2"))
        #expect(state.versions.path == nil)
        #expect(state.view == .versions)
    }

    @Test func trashRestoresAndEmptiesAfterAConfirm() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("3"))
        #expect(Keymap.action(for: .character("P"), in: state) == .explain("The trash is empty"))
        _ = reduce(&state, .trashLoaded([Fixtures.entry("/old.txt", id: 30)]))
        #expect(Fixtures.press(&state, .character("r")) == [.untrash(try! DrivePath("/old.txt"))])
        #expect(Fixtures.press(&state, .character("P")).isEmpty)
        #expect(Fixtures.press(&state, .enter) == [.emptyTrash])
    }

    @Test func tabCyclesPanes() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .tab)
        #expect(state.focus == .details)
        Fixtures.press(&state, .backTab)
        #expect(state.focus == .list)
    }

    @Test func commandLineTakesTheCLIVerbs() {
        var state = Fixtures.browsing()
        func run(_ text: String) -> [Effect] {
            Fixtures.press(&state, .character(":"))
            for character in text { Fixtures.press(&state, .character(character)) }
            return Fixtures.press(&state, .enter)
        }
        #expect(run("mkdir new") == [.makeFolder(try! DrivePath("/new"))])
        #expect(run("mv a.txt 'Documents/b c.txt'") == [.move(Self.file, to: try! DrivePath("/Documents/b c.txt"))])
        #expect(run("rm /b.txt") == [.trash(try! DrivePath("/b.txt"))])
        #expect(run("restore a.txt v2") == [.restoreVersion(Self.file, version: 2)])
        #expect(run("put ~/x.bin") == [.put(job: 1, local: "/home/minji/x.bin", to: try! DrivePath("/x.bin"))])
        _ = reduce(&state, .jobFinished(1, "done"))
        #expect(run("get a.txt out") == [.get(job: 2, Self.file, local: "/home/minji/out", version: nil)])
        _ = reduce(&state, .jobFinished(2, "done"))
        #expect(run("get a.txt out --force --version 2")
                == [.get(job: 3, Self.file, local: "/home/minji/out", version: 2, force: true)])
        _ = reduce(&state, .jobFinished(3, "done"))
        #expect(run("get --version=v3 a.txt") == [.get(job: 4, Self.file, local: "/home/minji/a.txt", version: 3)])
        _ = reduce(&state, .jobFinished(4, "done"))
        #expect(run("restore a.txt --version 2") == [.restoreVersion(Self.file, version: 2)])
        #expect(run("restore a.txt 3") == [.restoreVersion(Self.file, version: 3)])
        #expect(run("mkdir -p x/y") == [.makeFolder(try! DrivePath("/x/y"), parents: true)])
        #expect(run("get a.txt --version").isEmpty)
        #expect(state.message?.text.contains("--version needs a version number") == true)
        #expect(run("rm --force a.txt").isEmpty)
        #expect(state.message?.text.contains("rm has no option '--force'") == true)
        #expect(run("restore a.txt").isEmpty)
        #expect(state.message?.text.contains("usage: restore PATH --version N") == true)
        #expect(run("rm -- -odd").isEmpty == false, "-- ends the options")
        #expect(run("cd Documents") == [.list(try! DrivePath("/Documents"))])
        #expect(run("frobnicate").isEmpty)
        #expect(state.message?.text.contains("unknown command 'frobnicate'") == true)
        #expect(run("q").isEmpty)
        #expect(state.shouldQuit)
    }

    @Test func resizingKeepsTheSelectionOnScreen() {
        var state = Fixtures.browsing()
        let many = (0..<200).map { Fixtures.entry("/f\($0).txt", id: Int64(100 + $0)) }
        _ = reduce(&state, .listed(.root, many))
        Fixtures.press(&state, .pageDown, .pageDown)
        #expect(state.browser.cursor.selected == 2 * state.layout.listRows)
        _ = reduce(&state, .resized(TerminalSize(width: 80, height: 15)))
        let cursor = state.browser.cursor
        #expect(cursor.selected >= cursor.top && cursor.selected < cursor.top + state.layout.listRows)
        Fixtures.press(&state, .end)
        #expect(state.browser.cursor.selected == 199)
        Fixtures.press(&state, .character("g"))
        #expect(state.browser.cursor == ListCursor(selected: 0, top: 0))
    }
}
