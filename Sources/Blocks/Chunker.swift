/// FastCDC content-defined chunking with normalized chunking (level 2).
///
/// Follows Xia et al., "FastCDC: a Fast and Efficient Content-Defined Chunking Approach for Data
/// Deduplication" (USENIX ATC 2016): a gear rolling hash, the first `minSize` bytes of a block are
/// skipped, a stricter mask (2 more bits) is used before the average size and a looser one (2 fewer
/// bits) after it, and a block never exceeds `maxSize`. The gear hash starts from zero at every cut,
/// so a cut depends only on the bytes since the previous cut: chunking can resume at any block
/// boundary and give the same cuts (resumable uploads rely on this).
///
/// Pure and thread-safe; the gear table is fixed forever (changing it changes every block id).
public struct Chunker: Sendable {
    public let parameters: ChunkerParameters
    private let maskSmall: UInt64
    private let maskLarge: UInt64

    public init(parameters: ChunkerParameters = .standard) {
        precondition(parameters.validate() == nil, parameters.validate() ?? "")
        self.parameters = parameters
        let bits = parameters.averageSize.trailingZeroBitCount
        // The top bits of the gear hash depend on the last 64 bytes; the low bits on far fewer.
        maskSmall = ~UInt64(0) << UInt64(64 - min(bits + 2, 63))
        maskLarge = ~UInt64(0) << UInt64(64 - max(bits - 2, 1))
    }

    /// Length of the first block in `buffer`. `atEnd` says no more bytes follow, so a short tail
    /// is a block of its own; otherwise a result equal to `buffer.count` below `maxSize` means
    /// "need more bytes" and callers must supply at least `maxSize` bytes when they can.
    @inline(__always)
    public func cut(_ buffer: UnsafeRawBufferPointer) -> Int {
        let n = buffer.count
        let minSize = parameters.minSize
        if n <= minSize { return n }
        let end = min(n, parameters.maxSize)
        let normal = min(end, parameters.averageSize)
        let bytes = buffer.bindMemory(to: UInt8.self)
        var hash: UInt64 = 0
        var i = minSize
        gearTable.withUnsafeBufferPointer { gear in
            while i < normal {
                hash = (hash &<< 1) &+ gear[Int(bytes[i])]
                if hash & maskSmall == 0 { return }
                i += 1
            }
            while i < end {
                hash = (hash &<< 1) &+ gear[Int(bytes[i])]
                if hash & maskLarge == 0 { return }
                i += 1
            }
        }
        return i < end ? i + 1 : end
    }

    /// All block lengths of an in-memory byte sequence.
    public func cuts(of buffer: UnsafeRawBufferPointer) -> [Int] {
        var lengths: [Int] = []
        var offset = 0
        while offset < buffer.count {
            let length = cut(UnsafeRawBufferPointer(rebasing: buffer[offset...]))
            lengths.append(length)
            offset += length
        }
        return lengths
    }
}

/// 256 pseudo-random 64-bit words from SplitMix64 seeded with 0x43_41_49_52_4E ("CAIRN").
let gearTable: [UInt64] = {
    var generator = SeededGenerator(seed: 0x43_41_49_52_4E)
    return (0..<256).map { _ in generator.next() }
}()
