import Blocks
import Foundation

/// `cairn-bench stress [--seconds N] [--processes N] [--store DIR] [--work DIR] [--seed N] [--json]`:
/// many `cairn` processes on one store at once (see `StressLoad`), then `cairn verify` and a
/// read-back of every file whose content is known. Prints operations per kind, failures by
/// kind, exit code and message, and the final check; exits 0 only when no failure was
/// unexpected, verify passed and every file read back right.
///
/// Runs the `cairn` next to this executable (or `--cairn PATH`). With `--store` it uses that
/// store as it is (the tests start a full-screen drive on it too); else it makes one with
/// small blocks (`chunking`) in a temporary folder and removes it afterwards.
enum StressCommand {
    struct Options {
        var seconds = 120.0
        var processes = 4
        var seed: UInt64 = 20_261_204
        var store: String?
        var work: String?
        var cairn: String?
        var json = false
    }

    /// Small blocks (4–64 KiB, 16 KiB on average), so that a read looks up hundreds of blocks
    /// and crosses paths with `gc` moving them; the tests make their store with the same.
    static let chunking = ["--chunk-min", "4096", "--chunk-avg", "16384", "--chunk-max", "65536"]

    static let usage = """
        usage: cairn-bench stress [--seconds N] [--processes N] [--store DIR] [--work DIR] [--seed N] [--cairn PATH] [--json]
          N putters and N readers of cairn processes, a folder putter, and verify, gc, trash empty and rm
          loops on one store for the given seconds (default 120 s, 4); then verify and a byte-for-byte
          read-back. Exit 0 when nothing failed but for documented races (not found, store busy).
        """

    static func main(_ arguments: [String]) -> Int32 {
        var options = Options()
        var args = arguments[...]
        while let arg = args.popFirst() {
            switch arg {
            case "--seconds": options.seconds = Double(args.popFirst() ?? "") ?? -1
            case "--processes": options.processes = Int(args.popFirst() ?? "") ?? -1
            case "--seed": options.seed = UInt64(args.popFirst() ?? "") ?? options.seed
            case "--store": options.store = args.popFirst()
            case "--work": options.work = args.popFirst()
            case "--cairn": options.cairn = args.popFirst()
            case "--json": options.json = true
            case "-h", "--help":
                print(usage)
                return 0
            default:
                FileHandle.standardError.write(Data("cairn-bench stress: unknown argument \(arg)\n\(usage)\n".utf8))
                return 64
            }
        }
        guard options.seconds > 0, options.processes > 0 else {
            FileHandle.standardError.write(Data("cairn-bench stress: --seconds and --processes take positive numbers\n".utf8))
            return 64
        }
        do {
            let report = try run(options)
            print(options.json ? report.json : report.text)
            return report.passed ? 0 : 1
        } catch {
            FileHandle.standardError.write(Data("cairn-bench stress: \(error)\n".utf8))
            return 1
        }
    }

    static func run(_ options: Options) throws -> StressReport {
        guard let binary = options.cairn ?? CairnRunner.sibling() else {
            throw StressLoad.SetupFailed(description: "no 'cairn' next to cairn-bench: build it, or pass --cairn PATH")
        }
        let temporary = FileManager.default.temporaryDirectory.path + "/cairn-stress-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let work = options.work ?? temporary + "/work"
        let scratch = temporary + "/scratch"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["CAIRN_STORE"] = options.store ?? temporary + "/store"
        environment["SWIFT_BACKTRACE"] = "enable=no"
        let runner = CairnRunner(binary: binary, environment: environment, scratch: scratch)
        if options.store == nil {
            let made = try runner.run(["init"] + chunking)
            guard made.status == 0 else { throw StressLoad.SetupFailed(description: "cairn init failed: \(made.stderr)") }
        }

        let load = try StressLoad(runner: runner, work: work, seconds: options.seconds, processes: options.processes, seed: options.seed)
        try load.prepare()
        let clock = ContinuousClock.now
        load.run()
        let elapsed = ContinuousClock.now - clock
        let verify = try runner.run(["verify"])
        let readback = try readBack(load)
        return StressReport(
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            processes: options.processes, operations: load.tally.operationCounts, failures: load.tally.failureGroups,
            verify: verify.status == 0 && !verify.signalled ? "ok" : "\(verify.ending): \(verify.stderr.trimmingCharacters(in: .whitespacesAndNewlines))",
            filesChecked: readback.checked, readbackProblems: readback.problems)
    }

    /// Gets every file under /keep and every path the writers put, and compares it with what
    /// may be there (`StressBook.Expectation`).
    static func readBack(_ load: StressLoad) throws -> (checked: Int, problems: [String]) {
        var problems: [String] = []
        var checked = 0
        let local = load.output + "/final.bin"
        let known = load.keep.map { ($0.key, StressBook.Expectation(allowed: [$0.value], mayBeGone: false, mustBeGone: false)) }
            + load.book.paths.map { ($0, load.book.expectation($0)) }
        for (path, expected) in known.sorted(by: { $0.0 < $1.0 }) {
            try? FileManager.default.removeItem(atPath: local)
            let result = try load.runner.run(["get", path, local])
            checked += 1
            if result.status == 3 && !result.signalled {
                if !expected.mayBeGone { problems.append("\(path) is gone, but nobody removed it: \(result.message)") }
                continue
            }
            guard result.status == 0, !result.signalled, let bytes = FileManager.default.contents(atPath: local) else {
                problems.append("get \(path) failed: \(result.ending): \(result.message)")
                continue
            }
            if expected.mustBeGone {
                problems.append("\(path) was removed, but still reads \(bytes.count) bytes")
            } else if !expected.allowed.contains(BlockID(hashing: bytes)) {
                problems.append("\(path) reads \(bytes.count) bytes that are not its last committed content")
            }
        }
        try? FileManager.default.removeItem(atPath: local)
        return (checked, problems)
    }
}
