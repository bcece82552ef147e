import Foundation
import FuzzHarness

/// `cairn-bench fuzz SECONDS [TARGET…]`: builds `cairn-fuzz` with libFuzzer and AddressSanitizer
/// into `.build-fuzz`, then fuzzes each target for SECONDS from its seed corpus
/// (`Tests/FuzzCorpus/TARGET`) and prints executions, coverage and findings per target.
///
/// Run from the package folder. Inputs libFuzzer finds interesting are kept in
/// `.build-fuzz/corpus/TARGET`, so later runs start where earlier ones stopped; crashing inputs
/// go to `.build-fuzz/findings/TARGET/` (replay one with `cairn-fuzz TARGET FILE`). A single
/// allocation over `mallocLimitMB` counts as a finding: no parser may allocate without bound.
/// AddressSanitizer enforces it (`max_allocation_size_mb`): libFuzzer's own `-malloc_limit_mb`
/// sees no allocation at all in a Swift build.
struct FuzzRun {
    static let mallocLimitMB = 64
    static let rssLimitMB = 1024

    let seconds: Int
    let targets: [FuzzTarget]
    let package = FileManager.default.currentDirectoryPath

    /// `fuzz SECONDS [TARGET…]`: exit 1 when a target found something, 64 on bad arguments.
    static func main(_ args: [String]) throws {
        let targets = args.dropFirst().map(FuzzTarget.init(rawValue:))
        guard let seconds = args.first.flatMap({ Int($0) }), seconds > 0, !targets.contains(nil) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("usage: cairn-bench fuzz SECONDS [TARGET…]; targets: \(names)\n".utf8))
            exit(64)
        }
        let run = FuzzRun(seconds: seconds, targets: targets.isEmpty ? FuzzTarget.allCases : targets.compactMap { $0 })
        if try !run.run() { exit(1) }
    }

    /// Builds and runs; true when no target found anything.
    func run() throws -> Bool {
        guard FileManager.default.fileExists(atPath: package + "/Package.swift") else {
            throw BenchFailure("run cairn-bench fuzz from the package folder (no Package.swift in \(package))")
        }
        let scratch = package + "/.build-fuzz"
        let start = ContinuousClock.now
        Self.say("building cairn-fuzz with -sanitize=fuzzer,address in .build-fuzz …")
        try FileManager.default.createDirectory(atPath: scratch + "/logs", withIntermediateDirectories: true)
        // The log, not this terminal: the sanitizer runtime makes the linker warn a few hundred times.
        let buildLog = scratch + "/logs/build.log"
        let build = try Self.execute("/usr/bin/env", ["swift", "build", "--package-path", package, "--scratch-path", scratch,
                                                      "--product", "cairn-fuzz", "-Xswiftc", "-sanitize=fuzzer,address",
                                                      "-Xswiftc", "-DFUZZING"], log: buildLog)
        guard build == 0 else {
            Self.say(Self.tail(of: buildLog))
            throw BenchFailure("the fuzz build failed (exit \(build)); its log is \(buildLog)")
        }
        Self.say("built in \(Bench.seconds(since: start)) s")
        let binary = scratch + "/debug/cairn-fuzz"

        var clean = true
        var failed = 0
        var rows: [String] = []
        for target in targets {
            let work = scratch + "/corpus/" + target.folderName
            let findings = scratch + "/findings/" + target.folderName
            let log = scratch + "/logs/" + target.folderName + ".log"
            for folder in [work, findings] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            let before = Set(try FileManager.default.contentsOfDirectory(atPath: findings))
            Self.say("fuzzing \(target.rawValue) for \(seconds) s …")
            let status = try Self.execute(binary, [
                work, package + "/Tests/FuzzCorpus/" + target.folderName,
                "-max_total_time=\(seconds)", "-timeout=10", "-rss_limit_mb=\(Self.rssLimitMB)",
                "-print_final_stats=1", "-artifact_prefix=\(findings)/",
            ], environment: [
                "CAIRN_FUZZ_TARGET": target.rawValue,
                // Leaks are out of scope (the Swift runtime keeps caches for the process's life).
                "ASAN_OPTIONS": "max_allocation_size_mb=\(Self.mallocLimitMB):allocator_may_return_null=0:detect_leaks=0",
            ], log: log)
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let found = Set(try FileManager.default.contentsOfDirectory(atPath: findings)).subtracting(before).sorted()
            let executions = Self.stat("stat::number_of_executed_units:", in: output) ?? "?"
            let coverage = Self.lastCoverage(in: output)
            let corpus = (try? FileManager.default.contentsOfDirectory(atPath: work).count) ?? 0
            let verdict = found.isEmpty && status == 0 ? "no findings" : "FOUND \(found.map { findings + "/" + $0 }.joined(separator: ", ")) (exit \(status), log \(log))"
            if !(found.isEmpty && status == 0) {
                clean = false
                failed += 1
                // The report itself, for CI logs that do not keep .build-fuzz.
                Self.say(Self.tail(of: log))
            }
            rows.append("\(target.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(executions) executions, \(coverage), corpus \(corpus): \(verdict)")
        }
        Self.say("")
        for row in rows { Self.say(row) }
        // The plain closing line test runners end with: one target, one test.
        Self.say("fuzz: \(targets.count - failed) passed, \(failed) failed")
        return clean
    }

    /// Prints a line unbuffered, so it comes in order with the build's output in CI logs.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// The last 40 lines of a log file.
    static func tail(of log: String) -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
    }

    /// The value after `key` on the line that holds it.
    static func stat(_ key: String, in output: String) -> String? {
        output.split(separator: "\n").last { $0.hasPrefix(key) }.map { $0.dropFirst(key.count).trimmingCharacters(in: .whitespaces) }
    }

    /// "cov: N ft: M" from libFuzzer's last status line.
    static func lastCoverage(in output: String) -> String {
        guard let line = output.split(separator: "\n").last(where: { $0.contains(" cov: ") }),
              let range = line.range(of: "cov: ") else { return "cov: ?" }
        return line[range.lowerBound...].split(separator: " ").prefix(4).joined(separator: " ")
    }

    /// Runs a program, its output to `log` (nil: this terminal); its exit status.
    static func execute(_ path: String, _ arguments: [String], environment: [String: String] = [:], log: String?) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let log {
            guard FileManager.default.createFile(atPath: log, contents: nil) else { throw BenchFailure("cannot create \(log)") }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardOutput = handle
            process.standardError = handle
        }
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

