import Blocks
import Foundation
import GRDB

/// A version's ordered block list, read a page at a time (`pageSize` entries per snapshot), so
/// the list of a huge file is never all in memory: `cat` and a large file's `get` hold one page.
///
/// A value owned by one reader; not thread-safe. A committed version's list never changes, so
/// pages read in separate snapshots fit together; a version deleted while it is read ends early,
/// and the last page then throws `.conflict` (its lengths do not add up to the version's size),
/// so a reader never takes a short list for the whole file.
struct BlockListPages {
    /// Entries per page (about 80 KiB of ids).
    static let pageSize = 1024

    let drive: Drive
    let version: Int64
    /// The version's size: the lengths of all its blocks add up to it.
    let size: Int64
    let operation: String
    let subject: String
    private var preloaded: [WrittenBlock]?
    private var nextSeq: Int64 = 0
    private var bytes: Int64 = 0
    private var finished = false

    /// Pages of `version`'s list; `preloaded`, when given, is the whole list, read already.
    init(drive: Drive, version: Int64, size: Int64, operation: String, subject: String, preloaded: [WrittenBlock]? = nil) {
        self.drive = drive
        self.version = version
        self.size = size
        self.operation = operation
        self.subject = subject
        self.preloaded = preloaded
    }

    /// The next blocks in order; empty once the list is done.
    mutating func next() throws(DriveError) -> [WrittenBlock] {
        guard !finished else { return [] }
        let page: [WrittenBlock]
        if let preloaded {
            page = preloaded
            self.preloaded = nil
            finished = true
        } else {
            let (version, from) = (self.version, nextSeq)
            let rows = try drive.read(operation, subject) { db in
                try Row.fetchAll(db, sql: """
                    SELECT seq, blockId, length FROM versionBlock WHERE versionId = ? AND seq >= ? ORDER BY seq LIMIT ?
                    """, arguments: [version, from, Self.pageSize])
            }
            page = try rows.map { row throws(DriveError) in
                guard let id = BlockID(bytes: row["blockId"]) else {
                    throw DriveError(.corrupted, operation, subject, "version \(version) has a bad block id")
                }
                return WrittenBlock(id: id, length: row["length"], isNew: false)
            }
            if let last = rows.last { nextSeq = last["seq"] as Int64 + 1 }
            finished = rows.count < Self.pageSize
        }
        bytes += page.reduce(Int64(0)) { $0 + Int64($1.length) }
        if finished && bytes != size {
            throw DriveError(.conflict, operation, subject, "the file was deleted from the drive while \(operation) ran",
                             hint: "run \(operation) again")
        }
        return page
    }
}
