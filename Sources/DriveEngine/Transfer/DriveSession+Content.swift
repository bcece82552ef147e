import Blocks
import Foundation
import GRDB

extension DriveSession {
    /// Hands the content of version `number` (head when nil) of the file at `path` to `sink`,
    /// one block at a time and in order, each read, decoded and verified against its hash before
    /// it is handed over; returns the bytes streamed. For `cat`: memory stays at one block (at
    /// most the store's maximum block size) whatever the file's size.
    ///
    /// Blocks the calling thread. The block list is read a page at a time (a version's list is
    /// immutable; one deleted meanwhile ends in `.conflict`, never a short output without an
    /// error), and blocks are read as `sink` takes them. A damaged or missing block stops
    /// the stream with `.corrupted` after the blocks before it were handed over (and is
    /// quarantined, so putting the original again repairs it). An error `sink` throws stops the
    /// stream and is rethrown as a `DriveError` (`.io` unless it is one).
    @discardableResult
    public func stream(_ path: String, version number: Int? = nil,
                       to sink: (Data) throws -> Void) throws(DriveError) -> Int64 {
        let (path, version) = try contentVersion(path, version: number)
        var pages = BlockListPages(drive: drive, version: version.id!, size: version.size, operation: "cat", subject: path.description)
        var streamed: Int64 = 0
        while case let page = try pages.next(), !page.isEmpty {
            for block in page {
                let data: Data
                do { data = try drive.blocks.read(block.id) } catch { throw DriveError.wrapRead(error, "cat", path.description) }
                do { try sink(data) } catch { throw DriveError.wrap(error, "cat", path.description) }
                streamed += Int64(data.count)
            }
        }
        return streamed
    }

    /// The content of version `number` (head when nil) of the file at `path`, in memory; for
    /// previews and diffs. Reads at most `limit` bytes (whole blocks, then cut to `limit`).
    public func contents(_ path: String, version number: Int? = nil, limit: Int = 8 << 20) throws(DriveError) -> Data {
        let (path, version) = try contentVersion(path, version: number)
        let blocks = try drive.read("cat", path.description) { db in try blockList(db, version.id!) }
        var data = Data()
        do {
            for block in blocks where data.count < limit { data.append(try drive.blocks.read(block.id)) }
        } catch {
            throw DriveError.wrapRead(error, "cat", path.description)
        }
        return data.count > limit ? data.prefix(limit) : data
    }

    /// The parsed path and version `number` (head when nil) of the file there; a folder is
    /// `.invalidArgument`.
    private func contentVersion(_ text: String, version number: Int?) throws(DriveError) -> (DrivePath, Version) {
        let path = try parsePath(text, "cat")
        let version = try drive.read("cat", path.description) { db in
            let item = try resolve(db, path, "cat")
            guard !item.isFolder else {
                throw DriveError(.invalidArgument, "cat", path.description, "is a folder",
                                 hint: "list it with 'cairn ls', or name a file inside it")
            }
            return try self.version(db, item, number: number, path, "cat")
        }
        return (path, version)
    }
}
