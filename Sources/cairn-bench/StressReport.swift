import Foundation

/// What `cairn-bench stress` measured and found, as a table or as JSON (`--json`, which the
/// tests read).
struct StressReport: Codable, Sendable {
    var seconds: Double
    var processes: Int
    /// `cairn` runs per kind ("put", "get", "cat (changing)", "gc", …).
    var operations: [String: Int]
    /// Failure groups, expected ones included.
    var failures: [StressTally.Failure]
    /// "ok", or how the final `cairn verify` failed.
    var verify: String
    var filesChecked: Int
    var readbackProblems: [String]

    /// Failures that no documented race explains.
    var unexpected: [StressTally.Failure] { failures.filter { !$0.expected } }

    var passed: Bool { unexpected.isEmpty && verify == "ok" && readbackProblems.isEmpty }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    var text: String {
        var lines = ["stress: \(processes) putters and \(processes + 2) readers, a folder putter, verify, gc, trash empty and rm "
                     + "for \(String(format: "%.1f", seconds)) s"]
        lines.append("operations:")
        for (kind, count) in operations.sorted(by: { $0.key < $1.key }) {
            let failed = failures.filter { $0.kind == kind && $0.ending != "exit 0" }.reduce(0) { $0 + $1.count }
            lines.append("  " + kind.padding(toLength: 20, withPad: " ", startingAt: 0) + "\(count) runs, \(failed) failed")
        }
        lines.append(failures.isEmpty ? "failures: none" : "failures (kind, ending, count, message):")
        for failure in failures {
            lines.append("  \(failure.expected ? "expected  " : "UNEXPECTED") \(failure.kind), \(failure.ending), \(failure.count)×: \(failure.message)")
        }
        lines.append("final verify: \(verify)")
        lines.append("read-back: \(filesChecked) files checked, " + (readbackProblems.isEmpty ? "all right" : "\(readbackProblems.count) wrong:"))
        lines += readbackProblems.map { "  " + $0 }
        lines.append(passed ? "PASSED" : "FAILED: \(unexpected.reduce(0) { $0 + $1.count }) unexpected failures")
        return lines.joined(separator: "\n")
    }
}
