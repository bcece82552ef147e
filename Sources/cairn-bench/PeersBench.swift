#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// `cairn-bench peers [--corpus DIR] [--runs N] [--scale F]`: Cairn, restic (zstd auto) and
/// borg (lz4) side by side in one run on one corpus (see `PeersCorpus`): ingest of the whole
/// corpus and of each part alone, a second-generation incremental ingest, and a restore verified
/// byte for byte (symlinks included), each a fresh child process measured with `wait4` (wall,
/// user and system CPU, peak RSS), plus repository sizes. Prints medians over the runs as a table
/// with Cairn's ratio to the best peer. Not part of CI: it needs `restic` and `borgbackup`.
struct PeersBench {
    let corpus: PeersCorpus
    let work: String
    let runs: Int
    let cairn: String

    /// A backup program driven through its command line.
    struct Tool {
        var name: String
        var environment: [String: String] = [:]
        var initialize: (_ repo: String) -> [String]
        var ingest: (_ repo: String, _ data: String, _ generation: Int) -> [String]
        var restore: (_ repo: String, _ target: String) -> [String]
        /// Where, below a restore target, the ingested folder comes back.
        var restored: (_ target: String, _ data: String) -> String
    }

    var tools: [Tool] {
        [
            Tool(name: "Cairn",
                 initialize: { [cairn] repo in [cairn, "--store", repo, "--user", "bench", "init"] },
                 ingest: { [cairn] repo, data, _ in [cairn, "--store", repo, "--user", "bench", "put", data, "/data"] },
                 restore: { [cairn] repo, target in [cairn, "--store", repo, "--user", "bench", "get", "/data", target + "/data"] },
                 restored: { target, _ in target + "/data" }),
            Tool(name: "restic", environment: ["RESTIC_PASSWORD": "bench"],
                 initialize: { repo in ["restic", "-r", repo, "init", "--repository-version", "2", "--quiet"] },
                 ingest: { repo, data, _ in ["restic", "-r", repo, "backup", "--quiet", "--compression", "auto", data] },
                 restore: { repo, target in ["restic", "-r", repo, "restore", "latest", "--target", target, "--quiet"] },
                 restored: { target, data in target + data }),
            Tool(name: "borg",
                 environment: ["BORG_PASSPHRASE": "", "BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK": "yes",
                               "BORG_RELOCATED_REPO_ACCESS_IS_OK": "yes", "BORG_BASE_DIR": work + "/borg-base"],
                 initialize: { repo in ["borg", "init", "--encryption=none", repo] },
                 ingest: { repo, data, generation in ["borg", "create", "--compression", "lz4", "\(repo)::g\(generation)", data] },
                 restore: { repo, target in ["sh", "-c", "cd \"$0\" && borg extract \"$1\"::g2", target, repo] },
                 restored: { target, data in target + data }),
        ]
    }

    /// Step name → tool name → one measurement per run.
    var results: [String: [String: [ChildRun]]] = [:]
    var storeMiB: [String: Double] = [:]
    var notes: [String] = []
    /// Restore targets, deleted once every run is done. Deleting a 38,000-file target between
    /// steps slowed the next restore by a third and more: ext4 without a journal (as here) skips
    /// inodes freed in the last minutes when it allocates one, scanning past each of them at
    /// every file created, so whichever tool restored after another's target was deleted paid
    /// for that deletion.
    var targets: [String] = []

    var log: String { work + "/peers.log" }
    var data: String { work + "/data" }

    mutating func run() throws {
        for command in ["restic", "borg"] where (try? ChildRun.run(["sh", "-c", "command -v \(command)"], log: "/dev/null").status) != 0 {
            throw BenchFailure("\(command) is not installed: apt-get install restic borgbackup")
        }
        try corpus.prepare()
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { for target in targets { try? FileManager.default.removeItem(atPath: target) } }
        for run in 1...runs {
            print("run \(run) of \(runs) …")
            for tool in tools { try measure(tool, run: run) }
        }
        print(table())
    }

    /// One run of every step with `tool`, each from a fresh repository.
    private mutating func measure(_ tool: Tool, run: Int) throws {
        for part in PeersCorpus.parts {
            let repo = try freshRepository(tool)
            let measured = try withData(at: corpus.gen1 + "/" + part) {
                try ChildRun.succeed(tool.ingest(repo, data, 1), environment: tool.environment, log: log)
            }
            record("ingest \(part) alone", tool, measured)
        }
        let repo = try freshRepository(tool)
        record("ingest", tool, try withData(at: corpus.gen1) {
            try ChildRun.succeed(tool.ingest(repo, data, 1), environment: tool.environment, log: log)
        })
        record("incremental", tool, try withData(at: corpus.gen2) {
            try ChildRun.succeed(tool.ingest(repo, data, 2), environment: tool.environment, log: log)
        })
        storeMiB[tool.name] = Double(try Self.diskUsage(repo)) / Double(1 << 20)
        let target = work + "/restore-\(tool.name)-\(run)"
        try? FileManager.default.removeItem(atPath: target)
        targets.append(target)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        record("restore", tool, try ChildRun.succeed(tool.restore(repo, target), environment: tool.environment, log: log))
        let check = try TreeComparison.compare(expected: corpus.gen2, actual: tool.restored(target, data))
        if !check.mismatched.isEmpty {
            throw BenchFailure("\(tool.name) restored \(check.mismatched.count) files or symlinks wrong, e.g. \(check.mismatched[0])")
        }
        let note = "\(tool.name) restore: \(check.files) files and \(check.links) symlinks identical"
        if !notes.contains(note) { notes.append(note) }
        try? FileManager.default.removeItem(atPath: repo)
    }

    private mutating func record(_ step: String, _ tool: Tool, _ run: ChildRun) {
        results[step, default: [:]][tool.name, default: []].append(run)
    }

    private func freshRepository(_ tool: Tool) throws -> String {
        let repo = work + "/repo-\(tool.name)"
        try? FileManager.default.removeItem(atPath: repo)
        try? FileManager.default.removeItem(atPath: work + "/borg-base")
        _ = try ChildRun.succeed(tool.initialize(repo), environment: tool.environment, log: log)
        return repo
    }

    /// Runs `body` with `folder` renamed to `data` (the path every tool ingests, so that an
    /// incremental ingest sees the same path and unchanged inodes), then renames it back.
    private func withData<T>(at folder: String, _ body: () throws -> T) throws -> T {
        guard rename(folder, data) == 0 else {
            throw BenchFailure("cannot move \(folder) to \(data): \(String(cString: strerror(errno))) (put --dir on the corpus's file system)")
        }
        defer { rename(data, folder) }
        return try body()
    }

    /// Bytes of every file below `path`, links not followed.
    static func diskUsage(_ path: String) throws -> Int64 {
        var total: Int64 = 0
        guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
        while let entry = walker.nextObject() as? String {
            var st = stat()
            if lstat(path + "/" + entry, &st) == 0, st.st_mode & S_IFMT == S_IFREG { total += Int64(st.st_size) }
        }
        return total
    }

    /// The results as a Markdown table: medians, with Cairn's ratio to the best peer.
    func table() -> String {
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        var lines = ["| step | " + tools.map(\.name).joined(separator: " | ") + " | Cairn ÷ best peer |",
                     "| --- |" + String(repeating: " --- |", count: tools.count + 1)]
        let steps = ["ingest"] + PeersCorpus.parts.map { "ingest \($0) alone" } + ["incremental", "restore"]
        for step in steps {
            guard let byTool = results[step] else { continue }
            var cells: [String] = []
            var walls: [String: Double] = [:]
            for tool in tools {
                guard let runs = byTool[tool.name], !runs.isEmpty else { cells.append("—"); continue }
                let wall = median(runs.map(\.wall))
                walls[tool.name] = wall
                cells.append(String(format: "%.2f s (user %.1f, sys %.1f)", wall, median(runs.map(\.user)), median(runs.map(\.system))))
            }
            let best = walls.filter { $0.key != "Cairn" }.values.min() ?? .nan
            lines.append("| \(step), wall | " + cells.joined(separator: " | ") + String(format: " | %.2f |", (walls["Cairn"] ?? .nan) / best))
        }
        let rss = tools.map { tool in results.values.compactMap { $0[tool.name] }.flatMap { $0 }.map(\.peakRSSMiB).max() ?? 0 }
        lines.append("| peak RSS, MiB | " + rss.map { String(format: "%.0f", $0) }.joined(separator: " | ") + " | — |")
        let sizes = tools.map { storeMiB[$0.name] ?? .nan }
        lines.append("| store, MiB | " + sizes.map { String(format: "%.0f", $0) }.joined(separator: " | ")
                     + String(format: " | %.3f (÷ restic) |", sizes[0] / sizes[1]))
        return lines.joined(separator: "\n") + "\n\n" + notes.joined(separator: "\n")
    }
}
