import ScreenKit

/// A small deterministic generator (SplitMix64) so randomised tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Text pieces mixing narrow, wide, combining and emoji clusters.
let sampleClusters: [String] = ["a", "b", "Z", " ", "한", "글", "漢", "😀", "e\u{301}", "🇰🇷", "👨‍👩‍👧", "-", "。"]

extension ScreenBuffer {
    /// Problems with the wide-character invariant: every wide cell is followed by a
    /// continuation in its style, and every continuation follows a wide cell.
    func invariantViolations() -> [String] {
        var problems: [String] = []
        for row in 0..<height {
            for column in 0..<width {
                let cell = self[row, column]
                if cell.isWide {
                    if column + 1 >= width {
                        problems.append("wide cell at the right edge (\(row), \(column))")
                    } else if !self[row, column + 1].isContinuation || self[row, column + 1].style != cell.style {
                        problems.append("wide cell without continuation at (\(row), \(column))")
                    }
                }
                if cell.isContinuation && (column == 0 || !self[row, column - 1].isWide) {
                    problems.append("orphan continuation at (\(row), \(column))")
                }
            }
        }
        return problems
    }

    /// A buffer of random clusters and styles.
    static func random(width: Int, height: Int, using generator: inout SeededGenerator) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: width, height: height)
        for row in 0..<height {
            var column = 0
            while column < width {
                let text = sampleClusters.randomElement(using: &generator)!
                let style = Style(foreground: .indexed(UInt8.random(in: 0...3, using: &generator)))
                column += max(1, buffer.put(text, row: row, column: column, style: style))
            }
        }
        return buffer
    }
}
