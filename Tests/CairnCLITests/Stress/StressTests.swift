import Foundation
import Testing

/// Many processes, one store (issue 10): `cairn-bench stress` runs putters (files and a folder),
/// `get` and `cat` readers, and `verify`, `gc`, `trash empty` and `rm` loops as `cairn`
/// processes on one store, while the full-screen drive in tmux adds files, downloads a file
/// nobody changes and empties the trash.
/// Afterwards `cairn verify` passes, every file reads back byte for byte, and no command failed
/// but with a documented answer to the race (not found for a removed file, the store is busy).
///
/// A `get` or `cat` of a file nobody changes must never fail (exit 7 "pack … is missing" was
/// seen) nor give other bytes. Size: `CAIRN_STRESS_SECONDS` (default 30) of load with
/// `CAIRN_STRESS_PROCESSES` (default 2) putters and as many readers; `cairn-bench stress` runs
/// the same mix at any size.
@Suite struct StressTests {
    static var seconds: Int { Int(ProcessInfo.processInfo.environment["CAIRN_STRESS_SECONDS"] ?? "") ?? 30 }
    static var processes: Int { Int(ProcessInfo.processInfo.environment["CAIRN_STRESS_PROCESSES"] ?? "") ?? 2 }

    /// Small blocks (as `cairn-bench stress` makes its own store): a read looks up hundreds of
    /// blocks, so it crosses paths with `gc` moving them.
    static let chunking = ["--chunk-min", "4096", "--chunk-avg", "16384", "--chunk-max", "65536"]

    /// Every kind of operation the load must have run at least once for the run to mean anything.
    static let kinds = ["put", "put folder", "get", "cat", "verify", "gc", "trash empty", "rm"]

    @Test(.timeLimit(.minutes(10)))
    func manyProcessesOnOneStore() throws {
        let drive = try TemporaryDrive(initArguments: Self.chunking)
        let bench = try CairnBinary.url().deletingLastPathComponent().appendingPathComponent("cairn-bench")
        try #require(FileManager.default.isExecutableFile(atPath: bench.path), "cairn-bench is built next to cairn: \(bench.path)")
        let outputs = drive.root.appendingPathComponent("outputs")
        let tui = try StressTUIWorker(drive: drive)
        let load = try CairnProcess(
            binary: bench,
            arguments: ["stress", "--seconds", "\(Self.seconds)", "--processes", "\(Self.processes)", "--store", drive.store.path,
                        "--work", drive.root.appendingPathComponent("stress").path, "--json"],
            environment: drive.environment, directory: drive.work, outputFolder: outputs)
        let deadline = Date().addingTimeInterval(Double(Self.seconds))
        // The full-screen drive downloads the largest file under /keep once the load has put it.
        let keep = drive.root.appendingPathComponent("stress/src/keep/k5.bin")
        while Date() < deadline, try drive.run(["ls", "/keep"]).stdoutLines.contains("k5.bin") == false {
            Thread.sleep(forTimeInterval: 0.05)
        }
        tui.untouched = ("/keep/k5.bin", keep)
        try tui.run(until: deadline)
        let finished = try load.wait(timeout: Double(Self.seconds) + 300)
        let status = try tui.quit()

        #expect(!finished.killedBySignal && [0, 1].contains(finished.status), "\(finished)")
        let report = try finished.jsonObject()
        let operations = try #require(report["operations"] as? [String: Int], "\(finished)")
        let failures = try #require(report["failures"] as? [[String: Any]], "\(finished)")
        let unexpected = failures.filter { $0["expected"] as? Bool != true }.map(Self.line)
        let readback = report["readbackProblems"] as? [String] ?? ["missing in \(finished)"]
        let summary = Self.summary(operations, failures, report, tui: tui)
        print(summary)

        for kind in Self.kinds {
            #expect(operations[kind, default: 0] > 0, "the load ran no \(kind): \(summary)")
        }
        #expect(unexpected.isEmpty, "unexpected failures under load:\n\(unexpected.joined(separator: "\n"))")
        #expect(report["verify"] as? String == "ok", "verify after the load: \(report["verify"] ?? "?")")
        #expect(readback.isEmpty, "read-back after the load:\n\(readback.joined(separator: "\n"))")
        #expect(finished.status == 0, "cairn-bench stress failed:\n\(summary)")

        // The full-screen drive did its part, and what it added reads back byte for byte.
        #expect(status == 0, "the full-screen drive exited \(status)")
        #expect(tui.addedCount > 0 && tui.downloaded > 0, "the full-screen drive added or downloaded no file: \(tui.failures)")
        #expect(tui.failures.isEmpty, "the full-screen drive failed:\n\(tui.failures.joined(separator: "\n"))")
        let verify = try drive.run("verify")
        #expect(verify.status == ExitStatus.ok && !verify.killedBySignal, "\(verify)")
        for (path, local) in tui.added {
            let copy = drive.local("readback.bin")
            try? FileManager.default.removeItem(at: copy)
            let get = try drive.run(["get", path, copy.path])
            get.expectSuccess()
            #expect(get.status == ExitStatus.ok ? try SeededBytes.sameContents(copy, local) : false, "\(path) reads back other bytes")
        }
    }

    static func line(_ failure: [String: Any]) -> String {
        "\(failure["kind"] ?? "?"), \(failure["ending"] ?? "?"), \(failure["count"] ?? "?")×: \(failure["message"] ?? "?")"
    }

    /// One paragraph for the test log: operations per kind, failures, the final checks.
    static func summary(_ operations: [String: Int], _ failures: [[String: Any]], _ report: [String: Any], tui: StressTUIWorker) -> String {
        var lines = ["stress: \(seconds) s, \(processes) putters and readers; operations: "
                     + operations.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                     + "; full-screen drive: \(tui.addedCount) added, \(tui.downloaded) downloaded, \(tui.trashed) trashed, \(tui.emptied) trash emptied, \(tui.busy) busy, \(tui.failures.count) failed"]
        for failure in failures {
            lines.append("  \(failure["expected"] as? Bool == true ? "expected" : "UNEXPECTED") " + line(failure))
        }
        lines.append("  final verify: \(report["verify"] ?? "?"); read-back: \(report["filesChecked"] ?? "?") files, "
                     + "\((report["readbackProblems"] as? [String])?.count ?? -1) wrong")
        return lines.joined(separator: "\n")
    }
}
