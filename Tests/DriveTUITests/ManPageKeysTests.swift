import DriveTUI
import Foundation
import Testing

/// man/cairn.1's KEYS section is the binding table's own text: a binding added, changed or
/// removed without the man page fails here. `RECORD_SNAPSHOTS=1` rewrites the section.
@Suite struct ManPageKeysTests {
    static let manURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("man/cairn.1")

    @Test func keysSectionMatchesTheBindingTable() throws {
        let lines = try String(contentsOf: Self.manURL, encoding: .utf8).components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: ".SH KEYS") else {
            Issue.record("man/cairn.1 has no KEYS section")
            return
        }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix(".SH ") } ?? lines.endIndex
        let current = lines[start..<end].joined(separator: "\n")
        let generated = Keymap.manPageKeysSection().trimmingCharacters(in: .newlines)
        if current != generated, ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
            let updated = (lines[..<start] + [generated] + lines[end...]).joined(separator: "\n")
            try updated.write(to: Self.manURL, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == generated, "man/cairn.1 KEYS differs from the binding table; re-record with RECORD_SNAPSHOTS=1")
    }
}
