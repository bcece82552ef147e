import Foundation
import Testing
import TextMerge

private let gitPath = "/usr/bin/git"

/// The merge against git's: `git merge-file --diff3` on seeded random edits of a text of
/// distinct lines (where both diffs can only pair lines one way) writes the same bytes as
/// `withMarkers`, conflicts, CRLF files and a last line without a newline included.
/// Skipped where git is not installed.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: gitPath)))
struct Merge3GitTests {
    static let seed: UInt64 = 0x61_7453

    @Test func markersMatchGitMergeFile() throws {
        print("Merge3GitTests.markersMatchGitMergeFile seed: \(Self.seed)")
        var random = TestRandom(seed: Self.seed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-merge3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var conflicts = 0
        for round in 0..<150 {
            let ending = random.next(3) == 0 ? "\r\n" : "\n"
            let count = random.next(15)
            let openEnd = count > 0 && random.next(4) == 0
            // Either side drops, replaces or follows a line with another; a replacement is one
            // of two texts, so both sides sometimes make the same change.
            func edited(_ side: String) -> String {
                var lines: [String] = []
                for i in 0..<count {
                    switch random.next(10) {
                    case 0, 1: break
                    case 2: lines.append("x\(i)-\(random.next(2))")
                    default: lines.append("\(i)")
                    }
                    if random.next(8) == 0 { lines.append("\(side) \(i)-\(random.next(2))") }
                }
                return Self.text(lines, ending, openEnd: openEnd)
            }
            let base = Self.text((0..<count).map { "\($0)" }, ending, openEnd: openEnd)
            let mine = edited("new"), theirs = edited(random.next(2) == 0 ? "new" : "other")

            for (name, text) in [("base", base), ("mine", mine), ("theirs", theirs)] {
                try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            }
            let expected = try Self.gitMergeFile(in: folder)
            let result = Merge3.merge(base: Line.split(base), mine: Line.split(mine), theirs: Line.split(theirs))
            conflicts += result.conflictCount
            #expect(result.withMarkers() == expected, """
                seed \(Self.seed) round \(round): \(base.debugDescription) \(mine.debugDescription) \(theirs.debugDescription)
                git: \(String(decoding: expected, as: UTF8.self).debugDescription)
                """)
        }
        #expect(conflicts > 50) // the rounds do exercise conflicts
    }

    static func text(_ lines: [String], _ ending: String, openEnd: Bool) -> String {
        let text = lines.map { $0 + ending }.joined()
        return openEnd && !text.isEmpty ? String(text.dropLast()) : text
    }

    /// `git merge-file --diff3 -p` of the files mine, base and theirs in `folder`.
    static func gitMergeFile(in folder: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gitPath)
        process.arguments = ["merge-file", "--diff3", "-p", "-L", "mine", "-L", "base", "-L", "theirs", "mine", "base", "theirs"]
        process.currentDirectoryURL = folder
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }
}
