import Blocks
import DriveEngine
import Foundation
import Synchronization

/// `cairn-bench sync`: what device sync costs.
///
/// - delta: a 1 GiB file synced, then 10 bytes inserted in its middle and synced again: the
///   blocks and bytes stored by the second sync, beside `rsync --stats --no-whole-file`'s
///   literal data for the same change (when rsync is installed);
/// - a no-change sync of a 100,000-file folder (after its first sync);
/// - a sync of 1,000 changed small files;
/// - edit-to-other-device latency: two devices under `watch` (as `cairn sync --watch` runs it),
///   a file edited on one N times, the time until the other holds the new bytes (exact percentiles).
struct SyncBench {
    var scale = 1.0
    var edits = 30
    let root: String

    static func main(_ arguments: [String]) throws {
        var bench = SyncBench(root: FileManager.default.temporaryDirectory.path + "/cairn-bench-sync-\(getpid())")
        var args = arguments[...]
        while let arg = args.popFirst() {
            switch arg {
            case "--scale": bench.scale = max(0.001, Double(args.popFirst() ?? "") ?? 1)
            case "--edits": bench.edits = max(1, Int(args.popFirst() ?? "") ?? bench.edits)
            case "-h", "--help":
                print("""
                    usage: cairn-bench sync [--scale F] [--edits N]
                      A 10-byte insert into a 1 GiB file (blocks and bytes stored; rsync's literal bytes
                      beside), a no-change sync of 100,000 files, a sync of 1,000 changed files, and
                      edit-to-other-device latency under watch (N edits, default 30). --scale shrinks
                      the sizes and counts for a quick run.
                    """)
                return
            default:
                FileHandle.standardError.write(Data("cairn-bench sync: unknown argument \(arg)\n".utf8))
                exit(64)
            }
        }
        try FileManager.default.createDirectory(atPath: bench.root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bench.root) }
        try bench.run()
    }

    func run() throws {
        let drive = try Drive.open(at: URL(fileURLWithPath: root + "/store"))
        try drive.addUser(name: "bench")
        let session = try drive.session(for: "bench")
        var rows: [(String, String)] = []

        // 1. Delta transfer.
        let bigSize = Int(Double(1 << 30) * scale)
        let bigFolder = root + "/big"
        try session.addDevice(name: "big", folder: bigFolder, path: "/big")
        // Written and edited a few MiB at a time, so the peak RSS is the sync's, not the bench's.
        let original = root + "/file.orig"
        try Self.writeRandom(original, count: bigSize, seed: 1)
        try Self.copy(original, to: bigFolder + "/file.bin", inserting: nil)
        var start = Date()
        try session.sync(device: "big")
        rows.append(("first sync of a \(Self.mib(bigSize)) file", Self.seconds(Date().timeIntervalSince(start))))
        try Self.copy(original, to: bigFolder + "/file.bin", inserting: (bigSize / 2, Data("0123456789".utf8)))
        let before = try session.stats(biggest: 0)
        start = Date()
        let delta = try session.sync(device: "big")
        let deltaTime = Date().timeIntervalSince(start)
        let after = try session.stats(biggest: 0)
        rows.append(("10 B inserted mid-file: blocks stored", "\(delta.newBlocks)"))
        rows.append(("  raw bytes of those blocks", "\(after.uniqueBytes - before.uniqueBytes) B (\(Self.mib(Int(after.uniqueBytes - before.uniqueBytes))))"))
        rows.append(("  bytes added to the store", "\(after.storedBytes - before.storedBytes) B"))
        rows.append(("  sync time (reads the whole file)", Self.seconds(deltaTime)))
        if let literal = try Self.rsyncLiteral(from: bigFolder + "/file.bin", onto: original) {
            rows.append(("  rsync --no-whole-file literal data", "\(literal) B"))
        } else {
            rows.append(("  rsync", "not installed"))
        }
        try? FileManager.default.removeItem(atPath: original)

        // 2 and 3. Many files: a no-change sync, then 1,000 changed files.
        let count = max(100, Int(100_000 * scale))
        let manyFolder = root + "/many"
        try session.addDevice(name: "many", folder: manyFolder, path: "/many")
        for index in 0..<count {
            let folder = manyFolder + "/d\(index / 1000)"
            if index % 1000 == 0 { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try Data("file \(index)\n".utf8).write(to: URL(fileURLWithPath: folder + "/f\(index).txt"))
        }
        start = Date()
        try session.sync(device: "many")
        rows.append(("first sync of \(count) files", Self.seconds(Date().timeIntervalSince(start))))
        var noChange: [Double] = []
        for _ in 0..<3 {
            start = Date()
            let report = try session.sync(device: "many")
            precondition(!report.changedAnything)
            noChange.append(Date().timeIntervalSince(start))
        }
        rows.append(("no-change sync of \(count) files (median of 3)", Self.seconds(noChange.sorted()[1])))
        let changed = min(1000, count)
        for index in stride(from: 0, to: count, by: count / changed).prefix(changed) {
            try Data("file \(index), changed\n".utf8).write(to: URL(fileURLWithPath: manyFolder + "/d\(index / 1000)/f\(index).txt"))
        }
        start = Date()
        let report = try session.sync(device: "many")
        rows.append(("sync of \(report.uploaded) changed files", Self.seconds(Date().timeIntervalSince(start))))

        // 4. Latency under watch.
        let folders = [root + "/wa", root + "/wb"]
        try session.addDevice(name: "wa", folder: folders[0], path: "/watch")
        try session.addDevice(name: "wb", folder: folders[1], path: "/watch")
        let stop = Atomic<Bool>(false)
        let group = DispatchGroup()
        for name in ["wa", "wb"] {
            DispatchQueue.global().async(group: group) {
                try? session.watch(device: name, stop: { stop.load(ordering: .relaxed) }) { _ in }
            }
        }
        Thread.sleep(forTimeInterval: 1)
        var latencies: [Double] = []
        for edit in 0..<edits {
            let text = Data("edit \(edit) at \(Date().timeIntervalSince1970)\n".utf8)
            start = Date()
            try text.write(to: URL(fileURLWithPath: folders[0] + "/note.txt"))
            while FileManager.default.contents(atPath: folders[1] + "/note.txt") != text {
                if Date().timeIntervalSince(start) > 30 { break }
                usleep(2_000)
            }
            latencies.append(Date().timeIntervalSince(start))
            Thread.sleep(forTimeInterval: 0.2)
        }
        stop.store(true, ordering: .relaxed)
        group.wait()
        latencies.sort()
        func at(_ p: Double) -> String { Self.seconds(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) }
        rows.append(("edit to other device under watch (\(edits))", "p50 \(at(0.5)), p90 \(at(0.9)), max \(Self.seconds(latencies.last!))"))

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        rows.append(("peak RSS", "\(usage.ru_maxrss / 1024) MiB"))
        print("")
        for (label, value) in rows { print(label.padding(toLength: 46, withPad: " ", startingAt: 0) + value) }
    }

    /// rsync's "Literal data" for bringing `destination` up to `source` with its delta algorithm
    /// (a local copy takes whole files unless told not to); nil when rsync is not installed.
    static func rsyncLiteral(from source: String, onto destination: String) throws -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["rsync", "--stats", "--no-whole-file", source, destination]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Literal data:") }) else { return nil }
        return Int(line.dropFirst("Literal data:".count).trimmingCharacters(in: .whitespaces).split(separator: " ")[0]
            .replacingOccurrences(of: ",", with: ""))
    }

    /// `count` pseudo-random bytes from `seed` into `path`, 8 MiB at a time.
    static func writeRandom(_ path: String, count: Int, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var left = count
        while left > 0 {
            let n = min(left, 8 << 20)
            handle.write(Data(generator.bytes(n)))
            left -= n
        }
    }

    /// Copies `source` to `destination` (replacing it), with `bytes` inserted at `offset` if given.
    static func copy(_ source: String, to destination: String, inserting insert: (offset: Int, bytes: Data)?) throws {
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: source))
        defer { try? input.close() }
        let temp = destination + ".bench-tmp"
        _ = FileManager.default.createFile(atPath: temp, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: temp))
        var done = 0
        while true {
            var want = 8 << 20
            if let insert, done < insert.offset { want = min(want, insert.offset - done) }
            guard let chunk = try input.read(upToCount: want), !chunk.isEmpty else { break }
            output.write(chunk)
            done += chunk.count
            if let insert, done == insert.offset { output.write(insert.bytes) }
        }
        try output.close()
        guard rename(temp, destination) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    static func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
    static func seconds(_ value: Double) -> String { String(format: "%.3f s", value) }
}
