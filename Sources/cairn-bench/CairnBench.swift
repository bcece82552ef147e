import Blocks
import DriveEngine
import Foundation

/// `cairn-bench`: ingest and restore throughput, dedup after edits, peak memory; and
/// `cairn-bench stress`, many `cairn` processes on one store (`StressCommand`).
///
/// Usage: `swift run -c release cairn-bench [--scale F] [--dir DIR]`. Generates its data
/// deterministically in DIR (default: a temp folder), runs each case once, prints a table.
@main
struct CairnBench {
    @MainActor
    static func main() async throws {
        if CommandLine.arguments.dropFirst().first == "stress" {
            exit(StressCommand.main(Array(CommandLine.arguments.dropFirst(2))))
        }
        var args = CommandLine.arguments.dropFirst()
        if args.first == "peers" {
            args.removeFirst()
            return try runPeers(Array(args))
        }
        if args.first == "notify" {
            try NotifyBench.main(Array(args.dropFirst()))
            return
        }
        if args.first == "sync" {
            try SyncBench.main(Array(args.dropFirst()))
            return
        }
        if args.first == "fuzz" {
            try FuzzRun.main(Array(args.dropFirst()))
            return
        }
        var scale = 1.0
        var tuiOnly = false
        var base = FileManager.default.temporaryDirectory.path
        while let arg = args.popFirst() {
            switch arg {
            case "--scale": scale = Double(args.popFirst() ?? "1") ?? 1
            case "--dir": base = args.popFirst() ?? base
            case "--tui": tuiOnly = true
            case "-h", "--help":
                print("usage: cairn-bench [--scale F] [--dir DIR] [--tui]\n       cairn-bench stress [--seconds N] [--processes N] (see cairn-bench stress --help)\n       cairn-bench fuzz SECONDS [TARGET…]\n       cairn-bench notify [--events N] [--rate R] [--seconds S]\n       cairn-bench sync [--scale F] [--edits N]\n  Ingest/restore and full-screen drive benchmarks on generated data; --scale 0.1 for a quick run;\n  --tui runs only the full-screen drive on a folder of 100,000 items (scaled);\n  fuzz builds the libFuzzer harnesses and fuzzes each target for SECONDS (run from the package folder).")
                return
            default:
                FileHandle.standardError.write(Data("cairn-bench: unknown argument \(arg)\n".utf8))
                exit(64)
            }
        }
        let root = base + "/cairn-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var bench = Bench(root: root, scale: scale)
        if !tuiOnly { try bench.run() }
        bench.rows = try await TUIBench(root: root, items: Int(100_000 * scale)).run()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        bench.rows.append(("peak RSS (whole run)", "\(usage.ru_maxrss / 1024) MiB"))
        print("")
        for (label, value) in bench.rows { print(label.padding(toLength: 38, withPad: " ", startingAt: 0) + value) }
    }
}

extension CairnBench {
    /// `cairn-bench peers [--corpus DIR] [--work DIR] [--runs N] [--scale F]`.
    static func runPeers(_ arguments: [String]) throws {
        var args = arguments[...]
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache"
        var corpusDir = cache + "/cairn-bench/corpus"
        var work: String?
        var runs = 3
        var scale = 1.0
        while let arg = args.popFirst() {
            switch arg {
            case "--corpus": corpusDir = args.popFirst() ?? corpusDir
            case "--work": work = args.popFirst()
            case "--runs": runs = max(1, Int(args.popFirst() ?? "3") ?? 3)
            case "--scale": scale = Double(args.popFirst() ?? "1") ?? 1
            case "-h", "--help":
                print("""
                    usage: cairn-bench peers [--corpus DIR] [--work DIR] [--runs N] [--scale F]
                      Cairn, restic and borg side by side: ingest (whole corpus and each part), incremental
                      ingest, restore verified byte for byte; medians of N runs (default 3). The corpus
                      (a system tree, 1 GiB incompressible, 512 MiB text; times F) is made once in DIR
                      (default $XDG_CACHE_HOME/cairn-bench/corpus) and reused; --work defaults to DIR/../work
                      and must be on the same file system. Needs: apt-get install restic borgbackup
                    """)
                return
            default:
                FileHandle.standardError.write(Data("cairn-bench peers: unknown argument \(arg)\n".utf8))
                exit(64)
            }
        }
        guard let cairn = CairnRunner.sibling() else {
            throw BenchFailure("no cairn binary beside cairn-bench: swift build -c release first")
        }
        var bench = PeersBench(corpus: PeersCorpus(root: corpusDir + "-\(scale)", scale: scale),
                               work: work ?? (corpusDir as NSString).deletingLastPathComponent + "/work", runs: runs, cairn: cairn)
        try bench.run()
    }
}

struct Bench {
    let root: String
    let scale: Double
    var rows: [(String, String)] = []

    init(root: String, scale: Double) {
        self.root = root
        self.scale = scale
    }

    mutating func run() throws {
        let randomSize = Int(Double(1 << 30) * scale)
        let textSize = Int(Double(512 << 20) * scale)
        let treeCount = Int(20_000 * scale)
        let data = root + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        print("generating data: \(mib(randomSize)) random, \(mib(textSize)) text, \(treeCount) small files …")
        try BenchData.writeRandom(data + "/random.bin", size: randomSize, seed: 1)
        try BenchData.writeText(data + "/text.txt", size: textSize, seed: 2)
        try BenchData.writeTree(data + "/tree", count: treeCount, seed: 3)

        let drive = try Drive.open(at: URL(fileURLWithPath: root + "/store"))
        let session = DriveSession(drive: drive, user: try drive.user(named: "bench", createIfMissing: true))

        try ingest(session, data + "/random.bin", "/random.bin", size: randomSize, label: "ingest 1 GiB incompressible")
        try ingest(session, data + "/text.txt", "/text.txt", size: textSize, label: "ingest 512 MiB text")
        let treeBytes = try folderSize(data + "/tree")
        try ingest(session, data + "/tree", "/tree", size: treeBytes, label: "ingest tree of \(treeCount) files")
        let stored = try session.stats()
        rows.append(("store after ingest", "\(mib(stored.storedBytes)) stored for \(mib(stored.logicalBytes)) logical (compression \(String(format: "%.2f", stored.compressionRatio))×)"))

        try restore(session, "/random.bin", size: randomSize, label: "restore incompressible")
        try restore(session, "/text.txt", size: textSize, label: "restore text")
        try restore(session, "/tree", size: treeBytes, label: "restore tree")

        // Small edits: 100 files of the tree and 10 bytes in the text.
        for i in stride(from: 0, to: treeCount, by: max(1, treeCount / 100)) {
            let path = data + "/tree/d\(i / 1000)/s\((i / 50) % 20)/file-\(i).txt"
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            handle.write(Data("edited\n".utf8))
            try handle.close()
        }
        let before = try session.stats().storedBytes
        let clock = ContinuousClock.now
        let treeReport = try session.put(local: data + "/tree", to: "/tree")
        rows.append(("re-ingest tree after 100 edits", "\(seconds(clock)) s, \(treeReport.filesStored) files read, \(treeReport.filesSkipped) skipped, \(mib(try session.stats().storedBytes - before)) newly stored"))

        // Insert 10 bytes at offset 1000 of the random file.
        try insert(Array("0123456789".utf8), at: 1000, in: data + "/random.bin")
        let beforeInsert = try session.stats()
        let insertClock = ContinuousClock.now
        let insertReport = try session.put(local: data + "/random.bin", to: "/random.bin")
        let afterInsert = try session.stats()
        rows.append(("10-byte insert at 1000 in 1 GiB", "\(insertReport.newBlocks) new blocks, \(mib(afterInsert.storedBytes - beforeInsert.storedBytes)) newly stored, \(seconds(insertClock)) s to re-put"))

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        rows.append(("peak RSS", "\(usage.ru_maxrss / 1024) MiB"))
        print("")
        for (label, value) in rows { print(label.padding(toLength: 38, withPad: " ", startingAt: 0) + value) }
    }

    mutating func ingest(_ session: DriveSession, _ local: String, _ dest: String, size: Int, label: String) throws {
        let cpu = cpuSeconds()
        let clock = ContinuousClock.now
        _ = try session.put(local: local, to: dest)
        rows.append((label, rate(size, clock) + ", cpu \(String(format: "%.2f", cpuSeconds() - cpu)) s"))
    }

    mutating func restore(_ session: DriveSession, _ path: String, size: Int, label: String) throws {
        let target = root + "/restore-\(rows.count)"
        let cpu = cpuSeconds()
        let clock = ContinuousClock.now
        _ = try session.get(path, to: target)
        rows.append((label, rate(size, clock) + ", cpu \(String(format: "%.2f", cpuSeconds() - cpu)) s"))
        try FileManager.default.removeItem(atPath: target)
    }

    func insert(_ bytes: [UInt8], at offset: Int, in path: String) throws {
        let temp = path + ".new"
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        _ = FileManager.default.createFile(atPath: temp, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: temp))
        output.write(try input.read(upToCount: offset) ?? Data())
        output.write(Data(bytes))
        while let chunk = try input.read(upToCount: 8 << 20), !chunk.isEmpty { output.write(chunk) }
        try input.close()
        try output.close()
        _ = rename(temp, path)
    }

    func folderSize(_ path: String) throws -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let name = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: path + "/" + name)
            if attributes[.type] as? FileAttributeType == .typeRegular { total += (attributes[.size] as? Int) ?? 0 }
        }
        return total
    }

    func rate(_ bytes: Int, _ start: ContinuousClock.Instant) -> String {
        let elapsed = Double((ContinuousClock.now - start).components.attoseconds) / 1e18 + Double((ContinuousClock.now - start).components.seconds)
        return String(format: "%.2f s, %.0f MiB/s", elapsed, Double(bytes) / 1_048_576 / elapsed)
    }

    func seconds(_ start: ContinuousClock.Instant) -> String {
        let d = ContinuousClock.now - start
        return String(format: "%.2f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    func mib<T: BinaryInteger>(_ bytes: T) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}

extension Bench {
    static func seconds(since start: ContinuousClock.Instant) -> String {
        String(format: "%.2f", milliseconds(since: start) / 1000)
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
