import Blocks
import Foundation
import GRDB

/// A block that is missing or damaged, and the files it breaks.
public struct VerifyProblem: Sendable, Equatable {
    public var block: String
    public var reason: String
    /// "path (version N)" of every version that uses the block.
    public var affected: [String]
    /// What repairs it.
    public var remedy = Drive.repairHint

    /// One line: "REASON; affects PATH, PATH (REMEDY)".
    public var message: String {
        "\(reason); affects \(affected.isEmpty ? "nothing" : affected.joined(separator: ", ")) (\(remedy))"
    }
}

/// The outcome of `verify`.
public struct VerifyReport: Sendable, Equatable {
    /// Every block read, intact or not.
    public var blocksChecked = 0
    /// The raw bytes of the blocks found intact (a damaged block has no trustworthy length).
    public var bytesChecked: Int64 = 0
    public var problems: [VerifyProblem] = []
    public var isHealthy: Bool { problems.isEmpty }
}

extension Drive {
    /// What repairs a damaged or missing block. A damaged block is quarantined when a read finds
    /// it, so it no longer counts as stored: putting any file that contains it stores it again,
    /// which repairs every file and version that uses it (same id, same content).
    public static let repairHint = "put the original file again to repair it, then run 'cairn verify'"

    /// Reads every block that a version or an unfinished upload refers to, checks it decodes and
    /// matches its hash, and names the paths each bad block affects (invariant 5). Each bad block
    /// is quarantined (see `repairHint`), so the next put of its content stores a good copy.
    public func verify(options: TransferOptions = .init()) throws(DriveError) -> VerifyReport {
        // Shared store lock: a compaction cannot move a block under the check and make a healthy
        // block look missing.
        try lock.shared { () throws(DriveError) -> VerifyReport in try lockedVerify(options: options) }
    }

    private func lockedVerify(options: TransferOptions) throws(DriveError) -> VerifyReport {
        let ids = try read("verify", location.path) { db in
            try Data.fetchAll(db, sql: "SELECT blockId FROM versionBlock UNION SELECT blockId FROM uploadBlock").compactMap(BlockID.init(bytes:))
        }
        var report = VerifyReport()
        var progress = TransferProgress()
        progress.filesTotal = ids.count
        let store = blocks
        let maxRawLength = settings.chunker.maxSize
        for start in stride(from: 0, to: ids.count, by: 32) {
            try options.cancellation?.check("verify", location.path)
            let batch = Array(ids[start..<min(start + 32, ids.count)])
            var outcomes = [Result<Int, any Error>](repeating: .success(0), count: batch.count)
            outcomes.withUnsafeMutableBufferPointer { out in
                let out = UnsafeSendable(out)
                DispatchQueue.concurrentPerform(iterations: batch.count) { i in
                    out.value[i] = Result { try store.read(batch[i], maxRawLength: maxRawLength).count }
                }
            }
            for (id, outcome) in zip(batch, outcomes) {
                report.blocksChecked += 1
                switch outcome {
                case .success(let bytes): report.bytesChecked += Int64(bytes)
                case .failure(let error):
                    // A block this process cannot decode (zstd without libzstd) is not damage:
                    // stop and say what is missing rather than name every file as bad.
                    if let error = error as? BlockError, case .unsupported = error { throw DriveError.wrap(error, "verify", location.path) }
                    report.problems.append(VerifyProblem(block: id.hex, reason: "\(error)", affected: try affectedPaths(id)))
                }
            }
            progress.filesDone = report.blocksChecked
            options.progress?(progress)
        }
        return report
    }

    /// "path (version N)" for every version using block `id`, across all users.
    func affectedPaths(_ id: BlockID) throws(DriveError) -> [String] {
        try read("verify", id.hex) { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT DISTINCT version.itemId, version.number, item.ownerId FROM versionBlock
                JOIN version ON version.id = versionBlock.versionId JOIN item ON item.id = version.itemId
                WHERE versionBlock.blockId = ? ORDER BY version.itemId, version.number
                """, arguments: [id.bytes])
            var result = try rows.map { row -> String in
                let path = try Drive.itemPath(row["itemId"], db)
                let owner = try String.fetchOne(db, sql: "SELECT name FROM user WHERE id = ?", arguments: [row["ownerId"] as Int64]) ?? "?"
                return "\(owner):\(path) (version \(row["number"] as Int))"
            }
            let uploads = try String.fetchAll(db, sql: """
                SELECT DISTINCT destPath FROM uploadSession JOIN uploadBlock ON uploadBlock.sessionId = uploadSession.id
                WHERE uploadBlock.blockId = ?
                """, arguments: [id.bytes])
            result += uploads.map { "\($0) (unfinished upload)" }
            return result
        }
    }
}
