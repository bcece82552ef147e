import Testing

@testable import ScreenKit

@Suite("ScreenBuffer diff")
struct ScreenBufferDiffTests {
    private func buffer(_ rows: String...) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: 8, height: rows.count)
        for (row, text) in rows.enumerated() { buffer.put(text, row: row, column: 0) }
        return buffer
    }

    private func summary(_ runs: [CellRun]) -> [String] {
        runs.map { run in
            "\(run.row):\(run.column) " + String(run.cells.filter { !$0.isContinuation }.map(\.character))
                + (run.cells.contains { $0.isContinuation } ? " +\(run.cells.count)" : "")
        }
    }

    @Test func identicalBuffersProduceNoRuns() {
        let old = buffer("hello", "world")
        #expect(old.diff(from: old).isEmpty)
    }

    @Test func oneChangedCellIsOneRunOfOneCell() {
        let runs = buffer("hello", "world").diff(from: buffer("hello", "wOrld"))
        #expect(runs == [CellRun(row: 1, column: 1, cells: [Cell("o")])])
    }

    @Test func separateChangesAreSeparateRunsAndAdjacentOnesMerge() {
        let runs = buffer("abcdefgh").diff(from: buffer("aXcdYZgh"))
        #expect(summary(runs) == ["0:1 b", "0:4 ef"])
    }

    @Test func aChangedWideCharacterSendsBothHalves() {
        let runs = buffer("ab한c").diff(from: buffer("ab글c"))
        #expect(summary(runs) == ["0:2 한 +2"])
    }

    @Test func styleChangeOnAWideCharacterSendsBothHalves() {
        var new = buffer("ab한c")
        new.put("한", row: 0, column: 2, style: Style(attributes: .reverse))
        let runs = new.diff(from: buffer("ab한c"))
        #expect(runs.count == 1)
        #expect(runs[0].column == 2 && runs[0].cells.count == 2)
        #expect(runs[0].cells.allSatisfy { $0.style.attributes == .reverse })
    }

    @Test func wideReplacedByNarrowAndBack() {
        #expect(summary(buffer("한").diff(from: buffer("ab"))) == ["0:0 한 +2"])
        #expect(summary(buffer("ab").diff(from: buffer("한"))) == ["0:0 ab"])
        #expect(summary(buffer("a").diff(from: buffer("한"))) == ["0:0 a "])
    }

    @Test func runNeverStartsOnAContinuation() {
        // Only the right half differs (in style): the run must start at the wide cell.
        let old = buffer("x한")
        var new = old
        new.put("한", row: 0, column: 1, style: Style(foreground: .blue))
        let runs = new.diff(from: old)
        #expect(runs.allSatisfy { !$0.cells[0].isContinuation })
        #expect(runs.allSatisfy { !($0.cells.last?.isWide ?? false) })
    }

    @Test func sizeChangeOrNoPreviousFrameSendsEverything() {
        let new = buffer("hello", "world")
        #expect(new.diff(from: nil) == new.allRuns())
        #expect(new.diff(from: ScreenBuffer(width: 7, height: 2)).count == 2)
        #expect(new.allRuns().map(\.cells.count) == [8, 8])
    }

    /// Applying the diff to the old frame yields the new one, and the runs hold no more
    /// cells than differ (plus the other halves of changed wide characters).
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func diffIsCompleteAndMinimal(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let old = ScreenBuffer.random(width: 17, height: 6, using: &generator)
        var new = old
        for _ in 0..<Int.random(in: 0...12, using: &generator) {
            new.put(
                sampleClusters.randomElement(using: &generator)!,
                row: Int.random(in: 0..<6, using: &generator), column: Int.random(in: 0..<17, using: &generator),
                style: Style(attributes: .bold))
        }
        let runs = new.diff(from: old)
        var replayed = old
        replayed.apply(runs)
        #expect(replayed == new)

        var differing = 0
        var allowed = 0
        for row in 0..<6 {
            for column in 0..<17 where new[row, column] != old[row, column] {
                differing += 1
                allowed += 1
                if new[row, column].isContinuation && new[row, column - 1] == old[row, column - 1] { allowed += 1 }
                if new[row, column].isWide && new[row, column + 1] == old[row, column + 1] { allowed += 1 }
            }
        }
        let sent = runs.reduce(0) { $0 + $1.cells.count }
        #expect(sent >= differing)
        #expect(sent <= allowed)
    }
}
