import Dispatch
import Foundation

/// Reads a file through two fixed buffers and cuts it into blocks, batch by batch: while the
/// caller works on one batch (hashing and compressing it on every core), the next is read and
/// cut on another thread, so reading and cutting (serial work, a fifth of a text file's put) no
/// longer leave the cores idle between batches.
///
/// Memory stays bounded whatever the file size: two buffers of `max(12 MiB, 2 × maxSize)`, 8
/// MiB more than the one buffer of 16 MiB before (batches of 8 MiB were too few blocks to keep
/// both cores busy).
/// Not thread-safe; one stream per file.
public final class ChunkStream {
    public let chunker: Chunker
    private let file: PosixFile
    private let buffers: [UnsafeMutableRawBufferPointer]

    public init(file: PosixFile, chunker: Chunker, bufferSize: Int = 12 << 20) {
        self.file = file
        self.chunker = chunker
        let size = max(bufferSize, 2 * chunker.parameters.maxSize)
        buffers = (0..<2).map { _ in .allocate(byteCount: size, alignment: 64) }
    }

    deinit { for buffer in buffers { buffer.deallocate() } }

    /// One buffer's batch: bytes `0..<filled` read, blocks `ranges` cut in `0..<cut`; the bytes
    /// after `cut` (shorter than a largest block, unless the file ended) go to the next buffer.
    private struct Batch {
        var filled = 0
        var cut = 0
        var ranges: [Range<Int>] = []
        var atEnd = false
        var done: Bool { atEnd && cut == filled }
    }

    /// Calls `body` with each filled part of a buffer and the block ranges in it, in file order,
    /// until the end of the file. The bytes are valid only during the call.
    public func forEachBatch(_ body: (UnsafeRawBufferPointer, [Range<Int>]) throws -> Void) throws {
        var current = try prepare(0, carry: UnsafeRawBufferPointer(start: nil, count: 0))
        var index = 0
        while true {
            let buffer = buffers[index]
            let carry = UnsafeRawBufferPointer(rebasing: buffer[current.cut..<current.filled])
            // The next batch is read into the other buffer meanwhile; it copies the carried bytes
            // from this one, which `body` only reads.
            let next = Pending()
            let group = DispatchGroup()
            if !current.done {
                let task = UnsafeTask { [self, index] in next.result = Result { try prepare(1 - index, carry: carry) } }
                DispatchQueue.global(qos: .userInitiated).async(group: group) { task.run() }
            }
            do {
                if !current.ranges.isEmpty { try body(UnsafeRawBufferPointer(rebasing: buffer[0..<current.cut]), current.ranges) }
            } catch {
                group.wait() // the other buffer stays in use until then
                throw error
            }
            if current.done { return }
            group.wait()
            current = try next.result!.get()
            index = 1 - index
        }
    }

    /// Fills buffer `index`: the carried bytes first, then the file up to the buffer's end or the
    /// file's; cuts every block that cannot grow any more.
    private func prepare(_ index: Int, carry: UnsafeRawBufferPointer) throws -> Batch {
        let buffer = buffers[index]
        var batch = Batch()
        if carry.count > 0 { buffer.baseAddress!.copyMemory(from: carry.baseAddress!, byteCount: carry.count) }
        batch.filled = carry.count
        let want = buffer.count - batch.filled
        let got = try file.read(upTo: want, into: UnsafeMutableRawBufferPointer(rebasing: buffer[batch.filled...]))
        batch.filled += got
        batch.atEnd = got < want
        let maxSize = chunker.parameters.maxSize
        while batch.cut < batch.filled {
            if !batch.atEnd && batch.filled - batch.cut < maxSize { break }
            let length = chunker.cut(UnsafeRawBufferPointer(rebasing: buffer[batch.cut..<batch.filled]))
            batch.ranges.append(batch.cut..<(batch.cut + length))
            batch.cut += length
        }
        return batch
    }

    /// The next batch, written by the thread preparing it before the group it runs in leaves.
    private final class Pending: @unchecked Sendable {
        var result: Result<Batch, any Error>?
    }

    /// Work handed to another thread: its buffers are used by one thread at a time (the group's
    /// wait orders the preparing thread's writes before the caller's reads).
    private struct UnsafeTask: @unchecked Sendable {
        let run: () -> Void
    }
}
