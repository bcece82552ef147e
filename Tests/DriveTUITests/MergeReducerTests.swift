@testable import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing
import TextMerge

/// The merge screen through the keymap and the reducer: hunk by hunk, undo, `$EDITOR`, writing
/// only when every hunk is decided, a clean merge, a binary file, and leaving.
@Suite struct MergeReducerTests {
    static let file = ConflictsReducerTests.file
    static let base = "제목\nalpha\nbeta\ngamma\ndelta\nepsilon\n"
    /// Bob's (mine): alpha and epsilon changed, gamma too (his alone: merged by itself).
    static let mine = "제목\nalpha, bob\nbeta\n감마, bob\ndelta\nepsilon, bob\n"
    /// The head (theirs): alpha and epsilon changed.
    static let theirs = "제목\nalpha, 민지\nbeta\ngamma\ndelta\nepsilon, 민지\n"

    static func input(base: String = base, mine: String = mine, theirs: String = theirs) -> MergeInput {
        MergeInput(ConflictSides(conflict: ConflictsReducerTests.conflict(), base: Data(base.utf8), mine: Data(mine.utf8),
                                 theirs: Data(theirs.utf8), headNumber: 2))
    }

    /// The Conflicts view with the merge screen open on `input`.
    static func merging(_ input: MergeInput = input()) -> AppState {
        var state = ConflictsReducerTests.conflicts()
        Fixtures.press(&state, .enter)
        _ = reduce(&state, .mergeReady(input))
        return state
    }

    @discardableResult
    static func press(_ state: inout AppState, _ keys: String) -> [Effect] {
        var effects: [Effect] = []
        for key in keys { effects += Fixtures.press(&state, .character(key)) }
        return effects
    }

    @Test func cleanChangesAreMergedAndEachOverlapWaitsForAChoice() throws {
        let state = Self.merging()
        let merge = try #require(state.merge)
        #expect(merge.hunkCount == 2 && merge.undecidedCount == 2 && merge.hunk == 0)
        let text = merge.lines.map(\.text)
        #expect(text.contains("  감마, bob"), "bob's change alone is in, as a clean line: \(text)")
        #expect(text.contains("▶ Hunk 1 of 2 · changed on both sides: m mine, t theirs, b both, e edit"))
        #expect(text.contains("  ┄ mine (v3 by bob from laptop)") && text.contains("< alpha, bob"))
        #expect(text.contains("  ┄ base (v1)") && text.contains("| alpha") && text.contains("> alpha, 민지"))
        #expect(text.contains("  Hunk 2 of 2 · changed on both sides: m mine, t theirs, b both, e edit"))
        #expect(Keymap.action(for: .character("w"), in: state) == .explain("2 hunks still need a choice: m, t, b or e (n: next hunk)"))
        #expect(Keymap.action(for: .character("u"), in: state) == .explain("Nothing to undo"))
    }

    @Test func hunkByHunkWithUndoThenWrite() throws {
        var state = Self.merging()
        #expect(Self.press(&state, "m").isEmpty)
        #expect(state.merge?.hunk == 1, "on to the next undecided hunk")
        #expect(state.message?.text == "Hunk 1: took mine · 1 hunk left")
        #expect(state.merge?.lines.contains { $0.text == "  Hunk 1 of 2 · took mine" } == true)
        #expect(state.merge?.lines.contains { $0.text == "= alpha, bob" } == true)
        Self.press(&state, "u")
        #expect(state.merge?.hunk == 0 && state.merge?.undecidedCount == 2, "undo goes back to the hunk")
        Self.press(&state, "n")
        #expect(state.merge?.hunk == 1)
        Self.press(&state, "n")
        #expect(state.merge?.hunk == 0, "next wraps around")
        Self.press(&state, "p")
        #expect(state.merge?.hunk == 1)
        Self.press(&state, "t")  // hunk 2: theirs; back to hunk 1, the one left
        #expect(state.merge?.hunk == 0)
        Self.press(&state, "b")  // hunk 1: both, mine first
        #expect(state.message?.text == "Hunk 1: took both, mine first · every hunk decided: w writes the result")
        let merged = "제목\nalpha, bob\nalpha, 민지\nbeta\n감마, bob\ndelta\nepsilon, 민지\n"
        #expect(Self.press(&state, "w") == [.writeMerge(Self.file, id: 11, head: 2, merged: Data(merged.utf8))])
        #expect(state.isLoading, "keys wait for the write")
        let effects = reduce(&state, .conflictResolved(ConflictsReducerTests.conflict(resolved: true), "Merged"))
        #expect(state.merge == nil && state.mergeWritten && !state.shouldQuit)
        #expect(effects.contains(.loadConflicts(all: false)))
    }

    @Test func aFailedWriteKeepsTheChoices() {
        var state = Self.merging()
        Self.press(&state, "mt")
        #expect(Self.press(&state, "w").count == 1)
        _ = reduce(&state, .failed(DriveError(.conflict, "resolve", "/보고서.txt", "the head moved")))
        #expect(!state.isLoading && state.merge?.undecidedCount == 0, "nothing is lost")
        #expect(state.message?.kind == .error)
    }

    @Test func editingAHunkInTheEditor() throws {
        var state = Self.merging()
        let effects = Self.press(&state, "e")
        guard case .editText(11, 0, "보고서.txt", let text)? = effects.first, effects.count == 1 else {
            Issue.record("no edit: \(effects)")
            return
        }
        #expect(String(decoding: text, as: UTF8.self) == """
            <<<<<<< mine (v3 by bob from laptop)
            alpha, bob
            ||||||| base (v1)
            alpha
            =======
            alpha, 민지
            >>>>>>> theirs (head v2)

            """)
        #expect(state.isLoading, "keys wait for the editor")
        _ = reduce(&state, .hunkEdited(conflict: 11, hunk: 0, text))
        #expect(!state.isLoading && state.merge?.undecidedCount == 2 && state.message?.text == "Unchanged: hunk 1 is as it was")
        _ = reduce(&state, .hunkEdited(conflict: 11, hunk: 0, nil))
        #expect(state.message?.kind == .error && state.merge?.undecidedCount == 2)
        _ = reduce(&state, .hunkEdited(conflict: 11, hunk: 0, Data("alpha, 함께\n".utf8)))
        #expect(state.merge?.decisions.first == .custom([Line("alpha, 함께\n")]))
        #expect(state.merge?.lines.contains { $0.text == "  Hunk 1 of 2 · edited" } == true)
        _ = reduce(&state, .hunkEdited(conflict: 99, hunk: 1, Data("x\n".utf8)))
        #expect(state.merge?.undecidedCount == 1, "another conflict's edit is dropped")
        // A decided hunk opens as its lines.
        Self.press(&state, "p")
        guard case .editText(_, 0, _, let again)? = Self.press(&state, "e").first else { Issue.record("no edit"); return }
        #expect(again == Data("alpha, 함께\n".utf8))
    }

    @Test func aCleanMergeHasNothingToChooseAndWritesAtOnce() {
        var state = Self.merging(Self.input(mine: "제목\nalpha\nbeta\n감마, bob\ndelta\nepsilon\n"))
        #expect(state.merge?.hunkCount == 0)
        #expect(state.message?.text == "The sides merge cleanly: w writes the result")
        #expect(Keymap.action(for: .character("m"), in: state) == .explain("The sides merge cleanly: nothing to choose; w writes the result"))
        #expect(Self.press(&state, "w") == [.writeMerge(Self.file, id: 11, head: 2,
                                                        merged: Data("제목\nalpha, 민지\nbeta\n감마, bob\ndelta\nepsilon, 민지\n".utf8))])
    }

    @Test func aBinaryFileOffersMineTheirsOrBoth() {
        let binary = MergeInput(conflict: ConflictsReducerTests.conflict(), headNumber: 2, merge: .binary,
                                mineSize: 2048, theirsSize: 1024, baseSize: nil)
        var state = Self.merging(binary)
        #expect(state.merge?.isBinary == true && state.merge?.hunkCount == 1)
        #expect(Keymap.action(for: .character("e"), in: state) == .explain("A binary file has no lines to edit: m, t or b"))
        #expect(Keymap.action(for: .character("w"), in: state) == .explain("Choose first: m keeps mine, t theirs, b both"))
        Self.press(&state, "b")
        #expect(state.merge?.binaryChoice == .both)
        #expect(Self.press(&state, "w") == [.keepSide(Self.file, id: 11, .both)])
    }

    @Test func leavingAsksOnlyWhenChoicesWouldBeLost() {
        var state = Self.merging()
        #expect(Self.press(&state, "q") == [.loadConflicts(all: false)])
        #expect(state.merge == nil && state.view == .conflicts)

        state = Self.merging()
        Self.press(&state, "m")
        Fixtures.press(&state, .escape)
        guard case .confirm(let confirm)? = state.dialog else { Issue.record("no confirm"); return }
        #expect(confirm.title == "Leave the merge?")
        Self.press(&state, "n")
        #expect(state.merge != nil && state.dialog == nil)
        Fixtures.press(&state, .escape)
        Self.press(&state, "y")
        #expect(state.merge == nil)
    }

    @Test func aConflictSettledElsewhereClosesTheMergeScreen() {
        var state = Self.merging()
        Self.press(&state, "m")
        _ = reduce(&state, .conflictsLoaded(all: false, [ConflictsReducerTests.conflict()]))
        #expect(state.merge != nil, "still open: the screen stays")
        _ = reduce(&state, .conflictsLoaded(all: false, [ConflictsReducerTests.conflict(12)]))
        #expect(state.merge == nil && state.message?.kind == .error)
        #expect(state.message?.text == "/보고서.txt was settled elsewhere meanwhile; this merge was not written")
    }

    @Test func openedOnlyToMergeItQuitsWhenWrittenOrLeft() {
        var state = AppState(context: Harness.context(), size: TerminalSize(width: 80, height: 24))
        let effects = state.startMerging(ConflictsReducerTests.conflict())
        #expect(effects == [.loadConflicts(all: false), .loadMerge(Self.file, id: 11)])
        #expect(state.view == .conflicts && state.isLoading)
        _ = reduce(&state, .mergeReady(Self.input()))
        Self.press(&state, "q")
        #expect(state.shouldQuit && !state.mergeWritten)

        state = AppState(context: Harness.context(), size: TerminalSize(width: 80, height: 24))
        _ = state.startMerging(ConflictsReducerTests.conflict())
        _ = reduce(&state, .mergeReady(Self.input()))
        Self.press(&state, "mtw")
        _ = reduce(&state, .conflictResolved(ConflictsReducerTests.conflict(resolved: true), "Merged"))
        #expect(state.shouldQuit && state.mergeWritten)
    }

    @Test func wideTextKeepsItsColumnsOnScreen() {
        var state = Self.merging()
        state.size = TerminalSize(width: 60, height: 24)
        var buffer = ScreenBuffer(size: state.size)
        render(state, theme: Harness.theme, into: &buffer)
        let rows = (0..<state.size.height).map { buffer.text(ofRow: $0) }
        let theirs = rows.first { $0.contains("> alpha, 민지") } ?? ""
        #expect(theirs.hasPrefix("│ > alpha, 민지") && theirs.hasSuffix("│"), "\(rows.joined(separator: "\n"))")
        #expect(TextWidth.of(theirs) == 60, "Hangul takes two columns each, the frame stays put")
        #expect(rows.contains { $0.contains("Merge /보고서.txt") })
        #expect(rows[state.size.height - 1].contains("m mine") && rows[state.size.height - 1].contains("w write"))
    }
}
