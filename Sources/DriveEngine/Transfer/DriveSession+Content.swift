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
    /// stream and is rethrown as a `DriveError` (`.io` unless it is one). A symbolic link has no
    /// content: `.invalidArgument`, "is a link to TARGET", before anything is handed over.
    @discardableResult
    public func stream(_ path: String, version number: Int? = nil,
                       to sink: (Data) throws -> Void) throws(DriveError) -> Int64 {
        let (path, version) = try contentVersion(path, version: number)
        var pages = BlockListPages(drive: drive, version: version.id!, size: version.size, operation: "cat", subject: path.description)
        var streamed: Int64 = 0
        while case let page = try pages.next(), !page.isEmpty {
            for block in page {
                // The store lock is held per block, not across the sink: a reader that is slow to
                // take the bytes (`cat | less`) never holds garbage collection off. A block gc
                // removed in between belongs to a version deleted meanwhile: that is a conflict.
                let read = drive.lock.shared { Result { () throws(BlockError) -> Data in try drive.blocks.read(block.id, maxRawLength: drive.settings.chunker.maxSize) } }
                let data: Data
                switch read {
                case .success(let bytes): data = bytes
                case .failure(let error):
                    if try !versionExists(version.id!, path) {
                        throw DriveError(.conflict, "cat", path.description, "the file was deleted from the drive while it was read",
                                         hint: "see 'cairn trash list'")
                    }
                    throw DriveError.wrapRead(error, "cat", path.description)
                }
                do { try sink(data) } catch { throw DriveError.wrap(error, "cat", path.description) }
                streamed += Int64(data.count)
            }
        }
        return streamed
    }

    /// The content of version `number` (head when nil) of the file at `path`, in memory; for
    /// previews and diffs. Reads at most `limit` bytes (whole blocks, then cut to `limit`). A
    /// link version has no content: `.invalidArgument`, as for `stream`.
    public func contents(_ path: String, version number: Int? = nil, limit: Int = 8 << 20) throws(DriveError) -> Data {
        // Shared store lock from lookup to last block: gc cannot sweep or move one meanwhile.
        try drive.lock.shared { () throws(DriveError) -> Data in try lockedContents(path, version: number, limit: limit) }
    }

    private func lockedContents(_ path: String, version number: Int?, limit: Int) throws(DriveError) -> Data {
        let (path, version) = try contentVersion(path, version: number)
        let blocks = try drive.read("cat", path.description) { db in try blockList(db, version.id!) }
        var data = Data()
        do {
            for block in blocks where data.count < limit { data.append(try drive.blocks.read(block.id, maxRawLength: drive.settings.chunker.maxSize)) }
        } catch {
            throw DriveError.wrapRead(error, "cat", path.description)
        }
        return data.count > limit ? data.prefix(limit) : data
    }

    /// Whether version `id` is still in the store.
    private func versionExists(_ id: Int64, _ path: DrivePath) throws(DriveError) -> Bool {
        try drive.read("cat", path.description) { db in try Version.fetchOne(db, key: id) != nil }
    }

    /// The parsed path and version `number` (head when nil) of the file there; a folder, or a
    /// version that is a symbolic link (it has no content; its target is not followed), is
    /// `.invalidArgument`.
    private func contentVersion(_ text: String, version number: Int?) throws(DriveError) -> (DrivePath, Version) {
        let path = try parsePath(text, "cat")
        let version = try drive.read("cat", path.description) { db in
            let item = try resolve(db, path, "cat")
            guard !item.isFolder else {
                throw DriveError(.invalidArgument, "cat", path.description, "is a folder",
                                 hint: "list it with 'cairn ls', or name a file inside it")
            }
            let version = try self.version(db, item, number: number, path, "cat")
            if let target = version.linkTarget {
                throw DriveError(.invalidArgument, "cat", path.description, "is a link to \(target)",
                                 hint: "'cairn get' writes it as a link")
            }
            return version
        }
        return (path, version)
    }
}
