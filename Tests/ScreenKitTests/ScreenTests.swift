import Testing

@testable import ScreenKit

@MainActor
@Suite("Screen and MemoryTerminal")
struct ScreenTests {
    private func frame(for screen: Screen, _ lines: [String]) -> ScreenBuffer {
        var frame = screen.makeFrame()
        for (row, line) in lines.enumerated() { frame.put(line, row: row, column: 0) }
        return frame
    }

    @Test func firstFrameRepaintsEverything() {
        let terminal = MemoryTerminal(width: 14, height: 3)
        let screen = Screen(terminal: terminal)
        screen.present(frame(for: screen, ["한글 파일.txt", "hello"]))
        #expect(terminal.clearCount == 1)
        #expect(terminal.flushCount == 1)
        #expect(terminal.lastFlushedRuns.count == 3)
        #expect(terminal.snapshot() == "한글 파일.txt\nhello\n\n")
    }

    @Test func unchangedFrameSendsNothingAndChangesSendOnlyTheirCells() {
        let terminal = MemoryTerminal(width: 12, height: 3)
        let screen = Screen(terminal: terminal)
        screen.present(frame(for: screen, ["one", "two"]))
        screen.present(frame(for: screen, ["one", "two"]))
        #expect(terminal.flushCount == 2)
        #expect(terminal.lastFlushedCellCount == 0)
        let runs = screen.present(frame(for: screen, ["one", "tWo"]))
        #expect(runs == [CellRun(row: 1, column: 1, cells: [Cell("W")])])
        #expect(terminal.lastFlushedCellCount == 1)
        #expect(terminal.clearCount == 1)
        #expect(terminal.snapshot() == "one\ntWo\n\n")
    }

    @Test func nothingIsVisibleBeforeFlush() {
        let terminal = MemoryTerminal(width: 4, height: 1)
        terminal.draw([CellRun(row: 0, column: 0, cells: [Cell("x")])])
        #expect(terminal.snapshot() == "\n")
        terminal.flush()
        #expect(terminal.snapshot() == "x\n")
    }

    @Test func resizeForcesOneFullRepaintAndIsIdempotent() {
        let terminal = MemoryTerminal(width: 10, height: 2)
        let screen = Screen(terminal: terminal)
        screen.present(frame(for: screen, ["abcdefgh한", "xyz"]))
        terminal.resize(width: 9, height: 3)
        terminal.enqueue(.resize(width: 9, height: 3))  // ncurses may report one resize twice
        #expect(screen.readEvent(timeoutMs: 0) == .resize(width: 9, height: 3))
        #expect(screen.readEvent(timeoutMs: 0) == .resize(width: 9, height: 3))
        #expect(screen.readEvent(timeoutMs: 0) == nil)
        #expect(terminal.snapshot() == "abcdefgh\nxyz\n\n")  // the cut wide character is gone
        screen.present(frame(for: screen, ["abc", "xyz", "new row"]))
        #expect(terminal.clearCount == 2)
        #expect(terminal.lastFlushedRuns.count == 3)
        #expect(terminal.snapshot() == "abc\nxyz\nnew row\n")
        screen.present(frame(for: screen, ["abc", "xyz", "new row"]))
        #expect(terminal.clearCount == 2)
        #expect(terminal.lastFlushedCellCount == 0)
    }

    @Test func staleFrameAfterResizeIsClippedAndRepaintedFully() {
        let terminal = MemoryTerminal(width: 6, height: 2)
        let screen = Screen(terminal: terminal)
        let old = frame(for: screen, ["abcdef", "ghijkl"])
        screen.present(old)
        terminal.resize(width: 4, height: 1)
        screen.present(old)  // the app drew before it saw the resize
        #expect(terminal.snapshot() == "abcd\n")
        #expect(terminal.clearCount == 2)
    }

    @Test func cursorFollowsTheFrame() {
        let terminal = MemoryTerminal(width: 6, height: 2)
        let screen = Screen(terminal: terminal)
        var next = screen.makeFrame()
        next.cursor = Position(row: 1, column: 3)
        screen.present(next)
        #expect(terminal.visibleCursor == Position(row: 1, column: 3))
        screen.present(screen.makeFrame())
        #expect(terminal.visibleCursor == nil)
    }

    @Test func resumeAfterSuspendRepaintsFully() {
        let terminal = MemoryTerminal(width: 6, height: 1)
        let screen = Screen(terminal: terminal)
        screen.present(frame(for: screen, ["abc"]))
        screen.suspend()
        #expect(terminal.isSuspended)
        screen.resume()
        #expect(!terminal.isSuspended)
        screen.present(frame(for: screen, ["abc"]))
        #expect(terminal.clearCount == 2)
        #expect(terminal.lastFlushedCellCount == 6)
    }

    @Test func scriptedInputComesOutInOrder() {
        let terminal = MemoryTerminal(width: 6, height: 1)
        terminal.enqueue(InputEvent.typing("한a"))
        terminal.enqueue(.key(.ctrl("c")), .mouse(MouseEvent(.wheelDown, row: 0, column: 2)))
        var events: [InputEvent] = []
        while let event = terminal.readEvent(timeoutMs: 10) { events.append(event) }
        #expect(events == [
            .character("한"), .character("a"), .key(.ctrl("c")), .mouse(MouseEvent(.wheelDown, row: 0, column: 2)),
        ])
    }

    @Test func styledSnapshotMatchesGoldenFile() {
        let terminal = MemoryTerminal(width: 24, height: 6)
        let screen = Screen(terminal: terminal)
        var next = screen.makeFrame()
        let accent = Style(foreground: .cyan, attributes: .bold)
        next.drawFrame(next.bounds, box: .light, style: Style(foreground: .brightBlack), title: "목록", titleStyle: accent)
        let rows = [("한글 파일.txt", "1.2 KB"), ("a-very-long-name.pdf", "3 MB"), ("👨‍👩‍👧 family.jpg", "12 KB")]
        for (index, row) in rows.enumerated() {
            let style = index == 1 ? Style(attributes: .reverse) : .plain
            let line = TextWidth.truncate(row.0, toWidth: 14, position: .middle).padding(toWidth: 14)
                + " " + TextWidth.rightAlign(row.1, toWidth: 7)
            next.put(line, row: index + 1, column: 1, style: style, maxWidth: 22)
        }
        next.put("q quit", row: 4, column: 1, style: Style(foreground: .indexed(244), attributes: .dim))
        next.cursor = Position(row: 2, column: 1)
        screen.present(next)
        let failure = SnapshotFile("styled-list").verify(terminal.styledSnapshot())
        #expect(failure == nil, "\(failure ?? "")")
    }
}

extension String {
    fileprivate func padding(toWidth width: Int) -> String { TextWidth.pad(self, toWidth: width) }
}
