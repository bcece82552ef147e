import Foundation
import Testing

/// Crash safety (issue 2, "Must show"; DESIGN.md invariant 1): `kill -9` of a `put` of a large
/// file at many random moments never leaves a store that fails `verify`, and running the same
/// put again resumes ("resumed at …") and ends with the right content.
@Suite struct CrashSafetyTests {
    /// Small blocks so the file has hundreds of them; 192 MiB crosses the 32 MiB resumable
    /// threshold and two 64 MiB checkpoints.
    static let chunking = ["--chunk-min", "65536", "--chunk-avg", "262144", "--chunk-max", "1048576"]
    static let fileSize = 192 << 20
    static let kills = 12

    @Test(.timeLimit(.minutes(10)))
    func killedPutsLeaveAVerifiedStoreAndResume() throws {
        let drive = try TemporaryDrive(initArguments: Self.chunking)
        let big = drive.local("big.bin")
        try SeededBytes.write(to: big, count: Self.fileSize, seed: 0xCA1_12)

        // How long an uninterrupted put takes, in a throwaway store with the same settings.
        // Its digest (over the block ids) is the reference: a resumed upload must cut the same blocks.
        let duration: Double
        let digest: String
        do {
            let scratch = try TemporaryDrive(initArguments: Self.chunking)
            let clock = ContinuousClock()
            var finished: CommandResult?
            let elapsed = try clock.measure { finished = try scratch.run(["put", big.path, "/big"]) }
            try #require(finished?.status == ExitStatus.ok, "\(String(describing: finished))")
            duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            digest = try #require(try scratch.succeed("log", "--json", "/big").jsonObjects().first?["digest"] as? String)
        }

        var random = SplitMix64(seed: 20_261_126)
        var kills: [Double] = []
        var completions = 0
        var resumedRuns: [String] = []
        var attempts = 0
        while kills.count < Self.kills && attempts < 5 * Self.kills {
            attempts += 1
            let delay = Double.random(in: 0.02...1.0, using: &random) * duration
            let put = try drive.start(["put", big.path, "/big"])
            // Sleeping here only chooses the moment of the kill; nothing waits on it.
            Thread.sleep(forTimeInterval: delay)
            put.kill()
            let result = try put.wait()
            if result.killedBySignal {
                kills.append(delay)
            } else {
                // It finished before the kill: check it, then start the next upload from nothing.
                result.expectSuccess()
                if result.stdout.contains("resumed at") { resumedRuns.append(result.stdout) }
                completions += 1
                try expectContent(drive, equals: big)
                try drive.succeed("rm", "/big")
                try drive.succeed("trash", "empty")
            }
            let verify = try drive.run("verify")
            #expect(verify.status == ExitStatus.ok && verify.stderr.isEmpty,
                    "verify failed after kill \(kills.count) at \(delay) s of \(duration) s: \(verify)")
        }
        #expect(kills.count >= Self.kills, "only \(kills.count) puts were killed in \(attempts) attempts")

        // One more kill right after a checkpoint is recorded, so the final run must resume.
        let put = try drive.start(["put", big.path, "/big"])
        try waitUntil(timeout: 120, "an upload checkpoint") {
            // A failed read (the writer is mid-transaction) just means "not yet".
            (try? drive.sql("SELECT COALESCE(MAX(bytesDone), 0) FROM uploadSession")).flatMap { Int($0) } ?? 0 > 0
        }
        put.kill()
        let last = try put.wait()
        #expect(last.killedBySignal, "the put ended before the kill: \(last)")
        try drive.succeed("verify")

        let final = try drive.succeed("put", big.path, "/big")
        // "unchanged" only if a kill landed between the commit and the exit of an earlier put.
        #expect(final.stdout.contains("/big: 1 stored") || final.stdout.contains("/big: 0 stored, 1 unchanged"), "\(final)")
        if final.stdout.contains("resumed at") { resumedRuns.append(final.stdout) }
        #expect(final.stdout.hasPrefix("resumed at "), "the put after a checkpointed kill resumes: \(final)")
        #expect(!resumedRuns.isEmpty)
        try expectContent(drive, equals: big)
        try drive.succeed("verify")
        let log = try drive.succeed("log", "--json", "/big").jsonObjects()
        #expect(log.count == 1 && log.first?["size"] as? Int == Self.fileSize, "\(log)")
        #expect(log.first?["digest"] as? String == digest, "a resumed upload cuts the same blocks as an uninterrupted one")
        #expect(try drive.sql("SELECT COUNT(*) FROM uploadSession") == "0", "the finished upload closes its session")

        // Garbage collection after all this keeps the file whole.
        try drive.succeed("gc")
        try drive.succeed("verify")
        print("crash safety: put of \(Self.fileSize >> 20) MiB takes \(String(format: "%.2f", duration)) s; "
              + "killed at \(kills.map { String(format: "%.2f", $0) }.joined(separator: ", ")) s; "
              + "\(completions) completed before their kill; \(resumedRuns.count) resumed")
    }

    /// `cairn get /big` gives back exactly the bytes of `original`.
    func expectContent(_ drive: TemporaryDrive, equals original: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let copy = drive.local("big-copy.bin")
        try? FileManager.default.removeItem(at: copy)
        let get = try drive.run(["get", "/big", copy.path])
        get.expectSuccess(sourceLocation: sourceLocation)
        #expect(try SeededBytes.sameContents(copy, original), "the stored file differs from the original", sourceLocation: sourceLocation)
        try FileManager.default.removeItem(at: copy)
    }

    /// Polls `condition` until it holds, failing after `timeout` seconds.
    func waitUntil(timeout: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else {
                Issue.record("timed out after \(timeout) s waiting for \(what)")
                return
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
