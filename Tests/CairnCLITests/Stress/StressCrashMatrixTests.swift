import Foundation
import Testing

/// The crash matrix (issue 10): `kill -9` at random moments of `put`, `get`, `gc` (with
/// compaction work: small packs and garbage), `trash empty` and `restore --version N`. After
/// every kill `cairn verify` passes, every version `cairn log --json` listed before it still
/// reads back with exactly its bytes, whatever the killed command committed holds what it was
/// writing, and a killed `get` left nothing or the whole file at its final path.
///
/// The kill moments come from `CAIRN_CRASH_SEED` (default below), printed with every failure;
/// each command is first run once uninterrupted to learn how long it takes. A kill of a large
/// resumable `put` is in `CrashSafetyTests`.
@Suite struct StressCrashMatrixTests {
    /// Small blocks, so that a 4 MiB file has about 64 of them.
    static let chunking = ["--chunk-min", "16384", "--chunk-avg", "65536", "--chunk-max", "262144"]
    static let killsPerOperation = 5
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["CAIRN_CRASH_SEED"] ?? "") ?? 20_261_204 }

    enum Operation: String, CaseIterable {
        case put, get, gc, trashEmpty = "trash empty", restore
    }

    /// A command about to be killed, and what to check once it was.
    struct Attempt {
        var arguments: [String]
        /// Runs after the kill (or the completion), before the intactness check.
        var check: (_ context: String) throws -> Void = { _ in }
        /// When set, the kill comes as soon as this holds (polled), not after a random delay.
        var killWhen: (what: String, condition: () -> Bool)?
    }

    /// The pack files of the store now.
    static func packFiles(_ drive: TemporaryDrive) -> Set<String> {
        let packs = drive.store.appendingPathComponent("blocks/packs")
        return Set((FileManager.default.enumerator(atPath: packs.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".pack") })
    }

    @Test(.timeLimit(.minutes(8)))
    func killsAtRandomMomentsLoseNoCommittedVersion() throws {
        let drive = try TemporaryDrive(initArguments: Self.chunking)
        let book = CrashMatrixBook(drive: drive)
        var random = SplitMix64(seed: Self.seed)
        for version in 1...2 { try book.put(SeededBytes.data(count: 4 << 20, seed: UInt64(version)), at: "/m/big.bin") }
        for index in 0..<2 { try book.put(SeededBytes.data(count: 20_000 + index * 30_000, seed: 10 + UInt64(index)), at: "/m/small-\(index).bin") }
        try book.put(SeededBytes.data(count: 60_000, seed: 12), at: "/m/small-1.bin")

        // How long a cairn process takes to start and open the store (`ls /`): a kill is aimed
        // past most of that, into the work of the command.
        var startup = Double.infinity
        for _ in 0..<3 {
            let start = Date()
            try drive.succeed("ls", "/")
            startup = min(startup, Date().timeIntervalSince(start))
        }
        var durations: [Operation: Double] = [:]
        var kills: [Operation: [String]] = [:] // when each kill came, in seconds; * if aimed
        var completed: [Operation: Int] = [:]
        var attempts = 0
        // Once each uninterrupted (how long it takes), then the kills, the operations interleaved.
        var plan = Operation.allCases.map { ($0, false) }
        for _ in 0..<Self.killsPerOperation { plan += Operation.allCases.map { ($0, true) }.shuffled(using: &random) }
        while !plan.isEmpty {
            let (operation, kill) = plan.removeFirst()
            attempts += 1
            let attempt = try prepare(operation, round: attempts, book: book, random: &random)
            let before = try book.snapshot()
            let duration = durations[operation] ?? 1
            let earliest = min(0.8 * startup, 0.5 * duration)
            let delay = kill ? earliest + Double.random(in: 0...1, using: &random) * (duration - earliest) : 0
            let aimed = kill ? attempt.killWhen : nil
            let context = "seed \(Self.seed), attempt \(attempts): kill -9 of cairn \(attempt.arguments.joined(separator: " ")) "
                + (!kill ? "(not killed)" : aimed.map { "as soon as \($0.what)" } ?? "after \(String(format: "%.3f", delay)) s")
            let start = Date()
            let process = try drive.start(attempt.arguments)
            var killedAt = ""
            if let aimed {
                // Polls for the moment; a command that ends first is simply not killed.
                let deadline = Date().addingTimeInterval(max(2, 5 * duration))
                while !aimed.condition() && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
                process.kill()
                killedAt = String(format: "%.3f*", Date().timeIntervalSince(start))
            } else if kill {
                // Sleeping here only chooses the moment of the kill; nothing waits on it.
                Thread.sleep(forTimeInterval: delay)
                process.kill()
                killedAt = String(format: "%.3f", Date().timeIntervalSince(start))
            }
            let result = try process.wait()
            if !kill { durations[operation] = Date().timeIntervalSince(start) }
            if result.killedBySignal {
                kills[operation, default: []].append(killedAt)
            } else {
                #expect(result.status == ExitStatus.ok, "\(context): \(result)")
                completed[operation, default: 0] += 1
                // It ended before the kill: try again, aiming earlier (up to three times as many tries).
                if kill {
                    if aimed == nil { durations[operation] = 0.8 * duration }
                    if attempts < Operation.allCases.count * (1 + 3 * Self.killsPerOperation) { plan.append((operation, true)) }
                }
            }
            try attempt.check(context)
            try book.expectIntact(since: before, context: context)
        }

        let total = kills.values.reduce(0) { $0 + $1.count }
        #expect(total >= 20, "only \(total) kills landed in \(attempts) attempts (seed \(Self.seed))")
        for operation in Operation.allCases {
            #expect(kills[operation, default: []].count >= 3, "\(operation.rawValue) was killed only \(kills[operation, default: []].count) times")
        }
        print("crash matrix (seed \(Self.seed)): \(total) kills in \(attempts) attempts; a process starts in \(String(format: "%.3f", startup)) s; "
              + Operation.allCases.map { op in
                  "\(op.rawValue): \(kills[op, default: []].count) killed (at " + kills[op, default: []].joined(separator: ", ")
                      + String(format: " s; aimed at %.3f s at last), ", durations[op] ?? 0) + "\(completed[op, default: 0]) completed"
              }.joined(separator: "; "))
    }

    /// Sets the store up for one run of `operation` and says what to run and check.
    func prepare(_ operation: Operation, round: Int, book: CrashMatrixBook, random: inout SplitMix64) throws -> Attempt {
        let drive = book.drive
        switch operation {
        case .put:
            let path = "/m/put.bin"
            let data = SeededBytes.data(count: (4 << 20) + Int.random(in: 0..<65_536, using: &random), seed: 1000 + UInt64(round))
            let local = try drive.write("sources/put-\(round).bin", data)
            let before = try book.listed(path) ?? []
            return Attempt(arguments: ["put", local.path, path, "--force"]) { context in
                try book.adoptNew(path, before: before, content: data, context: context)
            }
        case .get:
            let path = "/m/big.bin"
            let head = try #require(try book.listed(path)?.first)
            let content = try #require(book.versions[path]?[head])
            let local = drive.local("got-\(round).bin")
            return Attempt(arguments: ["get", path, local.path]) { context in
                // Nothing at the final path, or the whole file: never a part of it.
                guard let written = try? Data(contentsOf: local) else { return }
                #expect(written == content, "\(context): left \(written.count) bytes at \(local.path), not the \(content.count) of \(path)")
            }
        case .gc:
            // Garbage and small packs (one per put): a folder of ten files, one (3 MiB) kept, and
            // three single small files, all removed and emptied from the trash; then four more
            // small files, kept.
            var kept: [(String, Data)] = []
            for index in 0..<10 {
                // The kept file is large, so that compaction has megabytes to copy while it may be killed.
                let size = index == 9 ? 3 << 20 : Int.random(in: 100_000...300_000, using: &random)
                let data = SeededBytes.data(count: size, seed: UInt64(round * 100 + index))
                try drive.write("sources/g-\(round)/f\(index).bin", data)
                if index == 9 { kept.append(("/g/\(round)/f\(index).bin", data)) }
            }
            try drive.succeed("put", drive.local("sources/g-\(round)").path, "/g/\(round)")
            var garbage = (0..<9).map { "/g/\(round)/f\($0).bin" }
            for index in 0..<3 {
                let local = try drive.write("sources/s-\(round)-\(index).bin", SeededBytes.data(count: 12_000, seed: UInt64(round * 100 + 50 + index)))
                try drive.succeed("put", local.path, "/g/s-\(round)-\(index).bin")
                garbage.append("/g/s-\(round)-\(index).bin")
            }
            try drive.run(["rm"] + garbage).expectSuccess()
            try drive.succeed("trash", "empty")
            // Emptying the trash may collect on its own: small packs made after it, kept, leave
            // the gc below packs to merge whatever happened.
            for index in 0..<4 {
                let path = "/g/k-\(round)-\(index).bin"
                let data = SeededBytes.data(count: 200_000 + index * 50_000, seed: UInt64(round * 100 + 60 + index))
                let local = try drive.write("sources/k-\(round)-\(index).bin", data)
                try drive.succeed("put", local.path, path)
                kept.append((path, data))
            }
            for (path, data) in kept { try book.adopt(path, data) }
            // Every other time, the kill lands while compaction writes its new pack.
            let packs = Self.packFiles(drive)
            return Attempt(arguments: ["gc"], killWhen: round % 2 == 0 ? nil : ("gc made a new pack file", {
                !Self.packFiles(drive).subtracting(packs).isEmpty
            }))
        case .trashEmpty:
            var junk: [String] = []
            for index in 0..<6 {
                let local = try drive.write("sources/j-\(round)-\(index).bin", SeededBytes.data(count: 30_000 + index * 20_000, seed: UInt64(round * 100 + 70 + index)))
                try drive.succeed("put", local.path, "/junk/\(round)-\(index).bin")
                junk.append("/junk/\(round)-\(index).bin")
            }
            try drive.run(["rm"] + junk).expectSuccess()
            return Attempt(arguments: ["trash", "empty"])
        case .restore:
            // A restore copies no bytes, only a version row: a small file keeps the checks quick.
            let path = "/m/small-1.bin"
            let listed = try book.listed(path) ?? []
            let version = try #require(listed.dropFirst().randomElement(using: &random), "\(path) has one version: \(listed)")
            let content = try #require(book.versions[path]?[version])
            return Attempt(arguments: ["restore", path, "--version", "\(version)"]) { context in
                try book.adoptNew(path, before: listed, content: content, context: context)
            }
        }
    }
}
