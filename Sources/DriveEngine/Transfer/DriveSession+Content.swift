import Blocks
import Foundation
import GRDB

extension DriveSession {
    /// Hands the content of version `number` (head when nil) of the file at `path` to `sink`,
    /// one block at a time and in order, each read, decoded and verified against its hash before
    /// it is handed over; returns the bytes streamed. For `cat`: memory stays at one block (at
    /// most the store's maximum block size) whatever the file's size.
    ///
    /// Blocks the calling thread. The block list is read in one snapshot (a version's list is
    /// immutable), then blocks are read as `sink` takes them. A damaged or missing block stops
    /// the stream with `.corrupted` after the blocks before it were handed over (and is
    /// quarantined, so putting the original again repairs it). An error `sink` throws stops the
    /// stream and is rethrown as a `DriveError` (`.io` unless it is one).
    @discardableResult
    public func stream(_ path: String, version number: Int? = nil,
                       to sink: (Data) throws -> Void) throws(DriveError) -> Int64 {
        let (path, blocks) = try contentBlocks(path, version: number)
        var streamed: Int64 = 0
        for block in blocks {
            let data: Data
            do { data = try drive.blocks.read(block.id) } catch { throw DriveError.wrapRead(error, "cat", path.description) }
            do { try sink(data) } catch { throw DriveError.wrap(error, "cat", path.description) }
            streamed += Int64(data.count)
        }
        return streamed
    }

    /// The content of version `number` (head when nil) of the file at `path`, in memory; for
    /// previews and diffs. Reads at most `limit` bytes (whole blocks, then cut to `limit`).
    public func contents(_ path: String, version number: Int? = nil, limit: Int = 8 << 20) throws(DriveError) -> Data {
        let (path, blocks) = try contentBlocks(path, version: number)
        var data = Data()
        do {
            for block in blocks where data.count < limit { data.append(try drive.blocks.read(block.id)) }
        } catch {
            throw DriveError.wrapRead(error, "cat", path.description)
        }
        return data.count > limit ? data.prefix(limit) : data
    }

    /// The parsed path and the ordered blocks of version `number` (head when nil) of the file
    /// there, read in one snapshot; a folder is `.invalidArgument`.
    private func contentBlocks(_ text: String, version number: Int?) throws(DriveError) -> (DrivePath, [WrittenBlock]) {
        let path = try parsePath(text, "cat")
        let blocks = try drive.read("cat", path.description) { db in
            let item = try resolve(db, path, "cat")
            guard !item.isFolder else {
                throw DriveError(.invalidArgument, "cat", path.description, "is a folder",
                                 hint: "list it with 'cairn ls', or name a file inside it")
            }
            return try blockList(db, try version(db, item, number: number, path, "cat").id!)
        }
        return (path, blocks)
    }
}
