@testable import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing
import TextMerge

/// The Conflicts view through the keymap and the reducer: listing, the resolved ones, keeping a
/// side after a confirm, opening the merge screen, and live reloads.
@Suite struct ConflictsReducerTests {
    static let file = try! DrivePath("/보고서.txt")

    /// Bob's edit of v1 kept as v3 beside alice's head v2 (conflict 11); with `resolved`, settled
    /// by keeping mine as v4.
    static func conflict(_ id: Int64 = 11, path: DrivePath = file, resolved: Bool = false, device: String? = "laptop") -> ConflictInfo {
        ConflictInfo(id: id, path: path, itemId: 7, version: 3, head: 2, base: 1, author: "bob", device: device,
                     createdAt: Fixtures.start, resolvedAt: resolved ? Fixtures.start.addingTimeInterval(60) : nil,
                     resolvedBy: resolved ? "minji" : nil, resolution: resolved ? .mine : nil, result: resolved ? 4 : nil,
                     copyPath: nil)
    }

    /// The Conflicts view with two open conflicts.
    static func conflicts() -> AppState {
        var state = Fixtures.browsingKnowingUsers()
        #expect(Fixtures.press(&state, .character("9")) == [.loadConflicts(all: false)])
        #expect(state.view == .conflicts && state.isLoading, "keys wait for the list")
        _ = reduce(&state, .conflictsLoaded(all: false, [conflict(), conflict(12, path: try! DrivePath("/notes.md"), device: nil)]))
        return state
    }

    @Test func nineShowsTheOpenConflicts() {
        #expect(ViewID.conflicts.key == "9" && ViewID.conflicts.title == "Conflicts")
        let state = Self.conflicts()
        #expect(!state.isLoading)
        #expect(state.conflicts.entries.map(\.id) == [11, 12] && state.conflicts.selected?.id == 11)
        #expect(Keymap.bindings.contains { $0.action == .show(.conflicts) && $0.keyLabel == "9" }, "in help and the man page")
    }

    @Test func aListsTheResolvedOnesTooAndAStaleListIsIgnored() {
        var state = Self.conflicts()
        #expect(Fixtures.press(&state, .character("a")) == [.loadConflicts(all: true)])
        #expect(state.conflicts.showsResolved && state.isLoading)
        _ = reduce(&state, .conflictsLoaded(all: false, [Self.conflict()]))
        #expect(state.isLoading, "the open-only list asked for before is not the one shown")
        _ = reduce(&state, .conflictsLoaded(all: true, [Self.conflict(), Self.conflict(13, resolved: true)]))
        Fixtures.press(&state, .character("j"))
        #expect(state.conflicts.selected?.id == 13)
        for key in ["M", "T", "B", "m"] {
            #expect(Keymap.action(for: .character(Character(key)), in: state) == .explain("This conflict is resolved already"))
        }
        #expect(Fixtures.press(&state, .character("a")) == [.loadConflicts(all: false)])
    }

    @Test func keepingASideAsksFirst() {
        var state = Self.conflicts()
        for (key, side) in [("M", MergeSide.mine), ("T", .theirs), ("B", .both)] {
            #expect(Fixtures.press(&state, .character(Character(key))).isEmpty)
            guard case .confirm(let confirm)? = state.dialog else { Issue.record("no confirm for \(key)"); return }
            #expect(confirm.title == "Keep \(side.rawValue)?")
            #expect(Fixtures.press(&state, .character("n")).isEmpty && state.dialog == nil, "no keeps nothing")
            Fixtures.press(&state, .character(Character(key)))
            #expect(Fixtures.press(&state, .character("y")) == [.keepSide(Self.file, id: 11, side)])
        }
        let effects = reduce(&state, .conflictResolved(Self.conflict(resolved: true), "Kept v3 (mine)"))
        #expect(effects.contains(.loadConflicts(all: false)))
        #expect(state.message == StatusMessage("Kept v3 (mine)", kind: .success))
    }

    @Test func enterOrMOpensTheMergeScreenAndKeysWaitForIt() {
        for key in [Key.enter, .character("m")] {
            var state = Self.conflicts()
            #expect(Fixtures.press(&state, key) == [.loadMerge(Self.file, id: 11)])
            #expect(state.isLoading && state.merge == nil)
            _ = reduce(&state, .mergeReady(MergeReducerTests.input()))
            #expect(!state.isLoading && state.merge?.hunkCount == 2)
            #expect(Keymap.activeContexts(in: state) == [.merge])
            #expect(state.message?.text.hasPrefix("2 hunks changed on both sides") == true)
        }
    }

    @Test func journalEntriesReloadTheViewOnlyWhenTheyMayTouchIt() {
        var state = Self.conflicts()
        let kept = reduce(&state, .driveChanged(5, entries: [Fixtures.change(.conflict, "/other.txt", item: 40)]))
        #expect(kept.contains(.loadConflicts(all: false)), "a new conflict elsewhere")
        let resolved = reduce(&state, .driveChanged(6, entries: [Fixtures.change(.versionAdded, "/보고서.txt", item: 7)]))
        #expect(resolved.contains(.loadConflicts(all: false)), "a version of a listed file: maybe its resolution")
        let unrelated = reduce(&state, .driveChanged(7, entries: [Fixtures.change(.pinned, "/x.txt", item: 41)]))
        #expect(!unrelated.contains(.loadConflicts(all: false)))
        #expect(reduce(&state, .driveChanged(8, entries: nil)).contains(.loadConflicts(all: false)), "unknown: reload")
    }

    @Test func narrowTerminalsDropColumnsButKeepThePath() {
        let wide = ConflictsView.columns(width: 98, showsResolved: false).map(\.title)
        #expect(wide == ["Path", "Versions", "Base", "By", "Device", "Made", "State"])
        let narrow = ConflictsView.columns(width: 78, showsResolved: true)
        #expect(narrow.map(\.title) == ["Path", "Versions", "By", "Made", "State"])
        #expect(narrow.first!.width >= 24)
    }
}
