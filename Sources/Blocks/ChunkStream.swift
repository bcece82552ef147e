import Foundation

/// Reads a file through a fixed buffer and cuts it into blocks, batch by batch.
///
/// Memory stays bounded whatever the file size: one buffer of `max(16 MiB, 2 × maxSize)`.
/// Not thread-safe; one stream per file.
public final class ChunkStream {
    public let chunker: Chunker
    private let file: PosixFile
    private let buffer: UnsafeMutableRawBufferPointer

    public init(file: PosixFile, chunker: Chunker, bufferSize: Int = 16 << 20) {
        self.file = file
        self.chunker = chunker
        buffer = .allocate(byteCount: max(bufferSize, 2 * chunker.parameters.maxSize), alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Calls `body` with each filled part of the buffer and the block ranges in it, in file order,
    /// until the end of the file. The bytes are valid only during the call.
    public func forEachBatch(_ body: (UnsafeRawBufferPointer, [Range<Int>]) throws -> Void) throws {
        let maxSize = chunker.parameters.maxSize
        var filled = 0
        var atEnd = false
        while true {
            if !atEnd {
                let want = buffer.count - filled
                let got = try file.read(upTo: want, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                filled += got
                atEnd = got < want
            }
            var ranges: [Range<Int>] = []
            var offset = 0
            while offset < filled {
                if !atEnd && filled - offset < maxSize { break }
                let length = chunker.cut(UnsafeRawBufferPointer(rebasing: buffer[offset..<filled]))
                ranges.append(offset..<(offset + length))
                offset += length
            }
            if !ranges.isEmpty { try body(UnsafeRawBufferPointer(rebasing: buffer[0..<offset]), ranges) }
            if atEnd && offset == filled { return }
            if offset > 0 {
                (buffer.baseAddress! + 0).copyMemory(from: buffer.baseAddress! + offset, byteCount: filled - offset)
                filled -= offset
            }
        }
    }
}
