import Foundation
import Testing

/// The documented exit codes of `cairn` (cairn(1), EXIT STATUS), as scripts see them.
enum ExitStatus {
    static let ok: Int32 = 0
    static let io: Int32 = 1
    static let invalidArgument: Int32 = 2
    static let notFound: Int32 = 3
    static let alreadyExists: Int32 = 4
    static let permissionDenied: Int32 = 6
    static let corrupted: Int32 = 7
    static let usage: Int32 = 64
}

/// What one finished `cairn` run printed and how it ended.
struct CommandResult: Sendable, CustomStringConvertible {
    var arguments: [String]
    /// The exit status, or the signal number when `killedBySignal`.
    var status: Int32
    var killedBySignal: Bool
    var stdout: String
    var stderr: String

    /// The lines of stderr, without the final newline.
    var stderrLines: [String] { Self.lines(stderr) }
    var stdoutLines: [String] { Self.lines(stdout) }

    var description: String {
        let how = killedBySignal ? "killed by signal \(status)" : "exit \(status)"
        return "cairn \(arguments.joined(separator: " ")) → \(how)\n--- stdout:\n\(stdout)--- stderr:\n\(stderr)---"
    }

    /// stdout parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }

    /// stdout parsed as a JSON array of objects.
    func jsonObjects() throws -> [[String: Any]] {
        try #require(try json() as? [[String: Any]], "not a JSON array of objects: \(self)")
    }

    /// stdout parsed as one JSON object.
    func jsonObject() throws -> [String: Any] {
        try #require(try json() as? [String: Any], "not a JSON object: \(self)")
    }

    /// Expects a clean success: exit 0 and nothing on stderr (progress is quiet when not a terminal).
    func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!killedBySignal && status == ExitStatus.ok, "\(self)", sourceLocation: sourceLocation)
        #expect(stderr.isEmpty, "stderr should be empty: \(self)", sourceLocation: sourceLocation)
    }

    /// Expects a failure reported the documented way: exit `code`, nothing on stdout, and exactly
    /// one line on stderr that starts with "cairn: " and contains each of `mentions`.
    func expectFailure(_ code: Int32, mentioning mentions: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!killedBySignal && status == code, "expected exit \(code): \(self)", sourceLocation: sourceLocation)
        #expect(stdout.isEmpty, "stdout should be empty: \(self)", sourceLocation: sourceLocation)
        #expect(stderr.hasSuffix("\n") && stderrLines.count == 1, "expected exactly one stderr line: \(self)", sourceLocation: sourceLocation)
        #expect(stderr.hasPrefix("cairn: "), "stderr should start with 'cairn: ': \(self)", sourceLocation: sourceLocation)
        for mention in mentions {
            #expect(stderr.contains(mention), "stderr should mention \(mention): \(self)", sourceLocation: sourceLocation)
        }
    }

    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
