import Foundation

/// A golden file beside a test: `<test folder>/__Snapshots__/<name>.txt`.
///
/// ``verify(_:)`` compares a snapshot with the stored file. With the environment variable
/// `RECORD_SNAPSHOTS=1` (or when the file does not exist yet) it writes the file instead
/// and reports that it recorded, so the test fails once and passes from then on: a missing
/// golden file never passes silently. Sendable value; file access is synchronous.
public struct SnapshotFile: Sendable {
    /// Where the golden file lives.
    public let url: URL

    /// The golden file `name` beside the test source `filePath` (pass `#filePath`).
    public init(_ name: String, filePath: StaticString = #filePath) {
        let testFile = URL(fileURLWithPath: "\(filePath)")
        url = testFile.deletingLastPathComponent()
            .appendingPathComponent("__Snapshots__", isDirectory: true)
            .appendingPathComponent("\(name).txt")
    }

    /// The golden file at an explicit location.
    public init(url: URL) {
        self.url = url
    }

    /// Whether this run re-records golden files (`RECORD_SNAPSHOTS=1` in the environment).
    public static var isRecording: Bool {
        ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    }

    /// The result of a comparison.
    public enum Outcome: Equatable, Sendable {
        /// The snapshot equals the golden file.
        case matched
        /// The golden file was (re)written with the snapshot.
        case recorded
        /// The snapshot differs; `message` shows both and the first differing line.
        case mismatched(message: String)
    }

    /// Compares `snapshot` with the golden file, or records it (see the type's summary).
    ///
    /// - Returns: `nil` when it matched, otherwise a failure message for the test to report.
    public func verify(_ snapshot: String) -> String? {
        switch compare(snapshot, record: Self.isRecording) {
        case .matched:
            return nil
        case .recorded:
            return "Recorded snapshot \(url.path); re-run without RECORD_SNAPSHOTS to verify."
        case .mismatched(let message):
            return message
        }
    }

    /// Compares `snapshot` with the golden file, writing it when `record` is true or the
    /// file is missing.
    public func compare(_ snapshot: String, record: Bool) -> Outcome {
        let stored = try? String(contentsOf: url, encoding: .utf8)
        if record || stored == nil {
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try snapshot.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                return .mismatched(message: "Could not record snapshot \(url.path): \(error)")
            }
            return .recorded
        }
        guard let stored, stored != snapshot else { return .matched }
        return .mismatched(message: Self.describeMismatch(expected: stored, actual: snapshot, path: url.path))
    }

    private static func describeMismatch(expected: String, actual: String, path: String) -> String {
        let expectedLines = expected.components(separatedBy: "\n")
        let actualLines = actual.components(separatedBy: "\n")
        let firstDifference = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?
            .offset ?? min(expectedLines.count, actualLines.count)
        let expectedLine = firstDifference < expectedLines.count ? expectedLines[firstDifference] : "<end>"
        let actualLine = firstDifference < actualLines.count ? actualLines[firstDifference] : "<end>"
        return """
            Snapshot differs from \(path) at line \(firstDifference + 1):
              expected: \(expectedLine)
              actual:   \(actualLine)
            --- expected ---
            \(expected)--- actual ---
            \(actual)--- (RECORD_SNAPSHOTS=1 re-records) ---
            """
    }
}
