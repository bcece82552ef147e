@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// The pager's sideways scrolling and closing Help, through the keymap and the reducer.
@Suite struct PagerAndHelpReducerTests {
    /// A pager over 70-column lines at `width`.
    static func pager(width: Int) -> AppState {
        var state = Fixtures.browsing()
        _ = reduce(&state, .resized(TerminalSize(width: width, height: 30)))
        let lines = [PagerLine(String(repeating: "가", count: 35)), PagerLine("short")]
        _ = reduce(&state, .pagerReady(PagerContent(title: "t", lines: lines)))
        return state
    }

    @Test func sidewaysScrollingStopsAtTheEndOfTheWidestLine() {
        var state = Self.pager(width: 100)
        for _ in 0..<40 { Fixtures.press(&state, .character("l")) }
        #expect(state.pager?.left == 0, "70 columns fit in 96")

        state = Self.pager(width: 60)
        #expect(state.layout.textColumns == 56)
        for _ in 0..<40 { Fixtures.press(&state, .right) }
        #expect(state.pager?.left == 14, "the widest line's end at the pane's right edge")
        Fixtures.press(&state, .character("h"))
        #expect(state.pager?.left == 6)
        Fixtures.press(&state, .left, .left)
        #expect(state.pager?.left == 0)
        for _ in 0..<3 { Fixtures.press(&state, .right) }
        _ = reduce(&state, .resized(TerminalSize(width: 120, height: 30)))
        #expect(state.pager?.left == 0, "a wider terminal shows it all")
    }

    @Test func qAndEscCloseHelpAndGoBack() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("3"))
        _ = reduce(&state, .trashLoaded([]))
        Fixtures.press(&state, .character("?"))
        #expect(state.view == .help)
        #expect(Keymap.action(for: .character("q"), in: state) == .closeHelp)
        #expect(Fixtures.press(&state, .character("q")) == [.loadTrash])
        #expect(state.view == .trash)
        #expect(!state.shouldQuit)

        Fixtures.press(&state, .character("1"), .tab, .character("?"), .pageDown)
        Fixtures.press(&state, .escape)
        #expect(state.view == .drive)
        #expect(state.focus == .details, "the pane that had the keyboard has it again")
        #expect(!state.shouldQuit)
        Fixtures.press(&state, .character("q"))
        #expect(state.shouldQuit, "outside help q still quits")
    }
}
