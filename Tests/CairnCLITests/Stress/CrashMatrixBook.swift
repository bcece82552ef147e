import Foundation
import Testing

/// What the crash matrix knows a store must keep: the exact bytes of every committed version of
/// every file it tracks, by drive path and version number, and the checks after a kill.
///
/// Owned by one test; only `read` runs on two threads at once (`expectIntact`).
final class CrashMatrixBook: @unchecked Sendable {
    let drive: TemporaryDrive
    /// Contents by drive path, then version number.
    private(set) var versions: [String: [Int: Data]] = [:]

    init(drive: TemporaryDrive) { self.drive = drive }

    var paths: [String] { versions.keys.sorted() }

    /// The version numbers `cairn log --json` lists for `path` (newest first), or nil when it fails.
    func listed(_ path: String) throws -> [Int]? {
        let log = try drive.run(["log", "--json", path])
        guard log.status == ExitStatus.ok else { return nil }
        return try log.jsonObjects().compactMap { $0["version"] as? Int }
    }

    /// Every tracked path's listed versions.
    func snapshot() throws -> [String: [Int]] {
        var listed: [String: [Int]] = [:]
        for path in paths { listed[path] = try self.listed(path) ?? [] }
        return listed
    }

    /// Puts `data` at `path` without a kill and records the version it made.
    func put(_ data: Data, at path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let local = try drive.write("sources/\(UUID().uuidString)", data)
        let result = try drive.run(["put", local.path, path, "--force"])
        result.expectSuccess(sourceLocation: sourceLocation)
        try adopt(path, data)
    }

    /// Records `data` as the content of the newest version of `path` that the book does not know.
    func adopt(_ path: String, _ data: Data) throws {
        let head = try #require(try listed(path)?.first, "no version of \(path)")
        versions[path, default: [:]][head] = data
    }

    /// What a killed command may have added: each version of `path` beyond `before` must hold
    /// `data` (the content that command was writing); then it is tracked like the rest.
    func adoptNew(_ path: String, before: [Int], content data: Data, context: String) throws {
        for version in try listed(path) ?? [] where !before.contains(version) {
            #expect(try read(path, version: version) == data, "\(context): new version \(version) of \(path) does not hold what was written")
            versions[path, default: [:]][version] = data
        }
    }

    /// Stops tracking `path` (it was removed on purpose).
    func forget(_ path: String) { versions[path] = nil }

    /// The bytes `cairn get --version N` writes (to a local file called `name`), or nil when it fails.
    func read(_ path: String, version: Int, name: String = "check.bin") throws -> Data? {
        let copy = drive.local(name)
        defer { try? FileManager.default.removeItem(at: copy) }
        let get = try drive.run(["get", "--version", "\(version)", path, copy.path])
        guard get.status == ExitStatus.ok else {
            Issue.record("get --version \(version) \(path) failed: \(get)")
            return nil
        }
        return try Data(contentsOf: copy)
    }

    /// After a kill: `cairn verify` passes, and every version listed in `before` is still listed
    /// and reads back with exactly its bytes.
    func expectIntact(since before: [String: [Int]], context: String) throws {
        let verify = try drive.run("verify")
        #expect(verify.status == ExitStatus.ok && verify.stderr.isEmpty && !verify.killedBySignal, "\(context): \(verify)")
        var reads: [(path: String, number: Int, known: Data)] = []
        for (path, numbers) in before.sorted(by: { $0.key < $1.key }) {
            let now = try listed(path) ?? []
            for number in numbers {
                guard now.contains(number) else {
                    Issue.record("\(context): version \(number) of \(path) was listed before the kill and is gone (now \(now))")
                    continue
                }
                guard let known = versions[path]?[number] else {
                    Issue.record("\(context): the test does not know version \(number) of \(path)")
                    continue
                }
                reads.append((path, number, known))
            }
        }
        // Two gets at a time (one per core): most of a get is starting the process.
        let lanes = 2
        let planned = reads
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for read in stride(from: lane, to: planned.count, by: lanes).map({ planned[$0] }) {
                let bytes = try? self.read(read.path, version: read.number, name: "check-\(lane)-\(read.number)")
                #expect(bytes == read.known,
                        "\(context): version \(read.number) of \(read.path) reads back \(bytes?.count ?? -1) other bytes (\(read.known.count) expected)")
            }
        }
    }
}
