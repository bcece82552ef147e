import Foundation
import Testing

@testable import ScreenKit

@Suite("SnapshotFile")
struct SnapshotFileTests {
    private func temporaryFile() -> SnapshotFile {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("screenkit-snapshots-\(UUID().uuidString)", isDirectory: true)
        return SnapshotFile(url: folder.appendingPathComponent("__Snapshots__/sample.txt"))
    }

    @Test func missingFileIsRecordedAndThenMatches() throws {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file.url.deletingLastPathComponent().deletingLastPathComponent()) }
        #expect(file.compare("a\nb\n", record: false) == .recorded)
        #expect(try String(contentsOf: file.url, encoding: .utf8) == "a\nb\n")
        #expect(file.compare("a\nb\n", record: false) == .matched)
    }

    @Test func mismatchNamesTheFirstDifferentLine() {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file.url.deletingLastPathComponent().deletingLastPathComponent()) }
        _ = file.compare("same\nold\n", record: true)
        guard case .mismatched(let message) = file.compare("same\nnew\n", record: false) else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(message.contains("at line 2"))
        #expect(message.contains("expected: old"))
        #expect(message.contains("actual:   new"))
    }

    @Test func recordingOverwrites() throws {
        let file = temporaryFile()
        defer { try? FileManager.default.removeItem(at: file.url.deletingLastPathComponent().deletingLastPathComponent()) }
        _ = file.compare("first\n", record: true)
        #expect(file.compare("second\n", record: true) == .recorded)
        #expect(try String(contentsOf: file.url, encoding: .utf8) == "second\n")
    }

    @Test func defaultLocationIsBesideTheTestFile() {
        let file = SnapshotFile("name")
        #expect(file.url.path.hasSuffix("Tests/ScreenKitTests/__Snapshots__/name.txt"))
    }
}
