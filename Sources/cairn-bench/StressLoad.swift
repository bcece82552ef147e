import Blocks
import Foundation

/// The load of `cairn-bench stress`: many `cairn` processes at once on one store until a
/// deadline, each worker a thread running one kind of command in a loop.
///
/// Writers: `processes` putters of single files under /churn (with `--force`, so a path that
/// was removed and emptied from the trash is simply put again) and one putter of a folder of
/// twelve files (/tree, a few edited each round; a folder put uses several threads). Readers:
/// `processes + 1` loops of `get` and `cat` of the files under /keep that nobody changes (they
/// must always give back exactly their bytes), and one of /churn and /tree. Maintenance:
/// one loop each of `verify`, `gc`, `trash empty` and `rm` of /churn files.
final class StressLoad: @unchecked Sendable {
    // Immutable after `init`; the tally and the book lock themselves.
    let runner: CairnRunner
    let tally = StressTally()
    let book = StressBook()
    let seconds: Double
    let processes: Int
    let seed: UInt64
    /// Local sources (src/) and downloads (out/).
    let source: String
    let output: String
    /// The files under /keep, by drive path: their content's SHA-256.
    private(set) var keep: [String: BlockID] = [:]
    private var deadline = ContinuousClock.now

    static let treeFiles = 12
    static let slotsPerPutter = 4

    init(runner: CairnRunner, work: String, seconds: Double, processes: Int, seed: UInt64) throws {
        self.runner = runner
        self.seconds = seconds
        self.processes = max(1, processes)
        self.seed = seed
        source = work + "/src"
        output = work + "/out"
        for folder in [source + "/keep", source + "/tree", output] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }

    /// Puts the files under /keep (0 B to 5 MiB, 8 MiB in all: one pack small enough that every
    /// `gc` merges it with the new small packs, so its blocks move all the time) and the first
    /// /tree, before any load starts.
    func prepare() throws {
        var random = SeededGenerator(seed: seed)
        for (index, size) in [0, 300, 65_536, 1 << 20, 2 << 20, 5 << 20].enumerated() {
            let data = Data(random.bytes(size))
            try data.write(to: URL(fileURLWithPath: source + "/keep/k\(index).bin"))
            keep["/keep/k\(index).bin"] = BlockID(hashing: data)
        }
        let put = try runner.run(["put", source + "/keep", "/keep"])
        guard put.status == 0, !put.signalled else { throw SetupFailed(description: "put of /keep failed: \(put.ending): \(put.stderr)") }
        try putTree(round: 0, random: &random)
    }

    struct SetupFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs every worker until the deadline; returns when all have stopped.
    func run() {
        deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var workers: [@Sendable () -> Void] = []
        for index in 0..<processes { workers.append { self.putter(index) } }
        for index in 0...processes { workers.append { self.reader(index, changing: false) } }
        workers.append { self.reader(self.processes + 1, changing: true) }
        workers.append { self.treePutter() }
        workers.append { self.loop("verify", ["verify"], pause: 0.05) }
        workers.append { self.loop("gc", ["gc"], pause: 0.05) }
        workers.append { self.loop("trash empty", ["trash", "empty"], pause: 0.2) }
        workers.append { self.remover() }
        let group = DispatchGroup()
        for work in workers {
            group.enter()
            // Threads of their own: Dispatch's pool on Linux runs about one blocking item per core.
            Thread.detachNewThread {
                work()
                group.leave()
            }
        }
        group.wait()
    }

    var running: Bool { ContinuousClock.now < deadline }

    /// The drive paths of putter `index`'s files.
    func churnPaths(_ index: Int) -> [String] { (0..<Self.slotsPerPutter).map { "/churn/p\(index)-\($0).bin" } }

    var allChurnPaths: [String] { (0..<processes).flatMap(churnPaths) }

    /// Runs `cairn arguments…`; a failure to start it is recorded as a problem.
    func run(_ kind: String, _ arguments: [String]) -> CairnRunner.Result? {
        do {
            return try runner.run(arguments)
        } catch {
            tally.problem(kind, "\(error)")
            return nil
        }
    }

    // MARK: Workers

    private func putter(_ index: Int) {
        var random = SeededGenerator(seed: seed &+ 1000 &+ UInt64(index))
        let paths = churnPaths(index)
        var round = 0
        while running {
            let path = paths[round % paths.count]
            round += 1
            let local = source + "/p\(index)-\(round % paths.count).bin"
            let data = Data(random.bytes(Int.random(in: 8192...(1 << 20), using: &random)))
            let content = BlockID(hashing: data)
            do { try data.write(to: URL(fileURLWithPath: local)) } catch {
                tally.problem("put", "could not write \(local): \(error)")
                return
            }
            book.exclusive(path) {
                book.willPut(path, content)
                guard let result = run("put", ["put", local, path, "--force"]) else { return }
                book.didPut(path, content, committed: tally.record("put", result))
            }
        }
    }

    private func treePutter() {
        var random = SeededGenerator(seed: seed &+ 2000)
        var round = 1
        while running {
            do { try putTree(round: round, random: &random) } catch {
                tally.problem("put folder", "\(error)")
                return
            }
            round += 1
        }
    }

    /// Writes the local tree (every file in round 0, three of them later) and puts it to /tree.
    private func putTree(round: Int, random: inout SeededGenerator) throws {
        let changed = round == 0 ? Array(0..<Self.treeFiles) : (0..<3).map { _ in Int.random(in: 0..<Self.treeFiles, using: &random) }
        var contents: [String: BlockID] = [:]
        for file in changed {
            let data = Data(random.bytes(Int.random(in: 2048...65_536, using: &random)))
            try data.write(to: URL(fileURLWithPath: source + "/tree/f\(file).bin"))
            contents["/tree/f\(file).bin"] = BlockID(hashing: data)
        }
        for (path, content) in contents { book.willPut(path, content) }
        guard let result = run("put folder", ["put", source + "/tree", "/tree", "--force"]) else { return }
        let committed = tally.record("put folder", result)
        for (path, content) in contents { book.didPut(path, content, committed: committed) }
    }

    /// Reads files under /keep (which must always give back exactly their bytes), or with
    /// `changing` those under /churn and /tree (which may be gone, and must hold a content that
    /// was put there).
    private func reader(_ index: Int, changing: Bool) {
        var random = SeededGenerator(seed: seed &+ 3000 &+ UInt64(index))
        let keepPaths = keep.keys.sorted()
        var count = 0
        while running {
            count += 1
            let path = changing
                ? (allChurnPaths + (0..<Self.treeFiles).map { "/tree/f\($0).bin" }).randomElement(using: &random)!
                : keepPaths[Self.keepPick(Int.random(in: 0..<10, using: &random), of: keepPaths.count)]
            let kind = (Bool.random(using: &random) ? "cat" : "get") + (changing ? " (changing)" : "")
            guard let (result, bytes) = read(path, kind: kind, into: output + "/r\(index)-\(count).bin") else { continue }
            guard tally.record(kind, result, allowed: changing ? [3] : [], vanishing: changing), let bytes else { continue }
            let content = BlockID(hashing: bytes)
            let right = changing ? book.wasPut(path, content) : keep[path] == content
            if !right {
                tally.problem(kind, "\(kind.prefix(3)) \(path) gave \(bytes.count) bytes that were never put there")
            }
        }
    }

    /// Which of the files under /keep (sorted, the largest last) a reader takes for a draw of
    /// 0..<10: mostly the largest two, whose reads last long enough to meet a `gc` moving them.
    static func keepPick(_ draw: Int, of count: Int) -> Int {
        switch draw {
        case 0..<5: count - 1
        case 5..<8: count - 2
        default: draw % count
        }
    }

    /// `cat path` (stdout) or `get path local`; the bytes given back when it succeeded. A get
    /// that fails must leave nothing at `local`.
    func read(_ path: String, kind: String, into local: String) -> (CairnRunner.Result, Data?)? {
        let isCat = kind.hasPrefix("cat")
        guard let result = run(kind, isCat ? ["cat", path] : ["get", path, local]) else { return nil }
        defer { try? FileManager.default.removeItem(atPath: local) }
        if isCat { return (result, result.stdout) }
        let written = FileManager.default.contents(atPath: local)
        if result.status != 0 || result.signalled {
            if written != nil { tally.problem(kind, "get \(path) failed (\(result.ending)) but left a file at \(local)") }
            return (result, nil)
        }
        if written == nil { tally.problem(kind, "get \(path) succeeded but wrote nothing at \(local)") }
        return (result, written)
    }

    private func loop(_ kind: String, _ arguments: [String], pause: Double) {
        while running {
            if let result = run(kind, arguments) { tally.record(kind, result) }
            // Pacing only: leaves the other workers room between two maintenance runs.
            Thread.sleep(forTimeInterval: pause)
        }
    }

    private func remover() {
        var random = SeededGenerator(seed: seed &+ 4000)
        while running {
            let path = allChurnPaths.randomElement(using: &random)!
            book.exclusive(path) {
                guard let result = run("rm", ["rm", path]) else { return }
                if tally.record("rm", result, allowed: [3]) { book.didRemove(path) }
            }
            Thread.sleep(forTimeInterval: 0.1) // pacing only
        }
    }
}
