import Dispatch
import Foundation

/// One block of a file as it was written: its id, raw length, and whether this write stored it.
public struct WrittenBlock: Sendable, Equatable {
    public let id: BlockID
    public let length: Int
    /// True when the block was not in the store before (and is the first of its id in the batch).
    public let isNew: Bool

    public init(id: BlockID, length: Int, isNew: Bool) {
        self.id = id
        self.length = length
        self.isNew = isNew
    }
}

/// Hashes, deduplicates, compresses and stores batches of blocks, on every core.
///
/// A batch is a buffer and the ranges of its blocks. Hashing runs in parallel, then one lookup
/// finds which ids are new, then only the new blocks are compressed (in parallel) and stored in
/// order. Nothing is durable until the store's `sync()`. Thread-safe: no state of its own.
public struct BlockWriter: Sendable {
    public let store: any BlockStore
    public let codec: BlockCodec

    public init(store: any BlockStore, codec: BlockCodec) {
        self.store = store
        self.codec = codec
    }

    /// Writes the blocks `ranges` of `buffer`; returns them in order.
    public func write(_ buffer: UnsafeRawBufferPointer, ranges: [Range<Int>]) throws(BlockError) -> [WrittenBlock] {
        let count = ranges.count
        guard count > 0 else { return [] }
        let input = SendableBytes(buffer)
        var ids = [BlockID](repeating: BlockID(hashing: Data()), count: count)
        ids.withUnsafeMutableBufferPointer { out in
            let out = SendableBuffer(out)
            concurrently(count) { i in out.pointer[i] = BlockID(hashing: input.slice(ranges[i])) }
        }
        let absent = try store.missing(Array(Set(ids)))
        // The first occurrence of each absent id is new; later ones in the batch share it.
        var firstOf: [BlockID: Int] = [:]
        var toEncode: [Int] = []
        for (i, id) in ids.enumerated() where absent.contains(id) && firstOf[id] == nil {
            firstOf[id] = i
            toEncode.append(i)
        }
        var encoded = [Data](repeating: Data(), count: toEncode.count)
        encoded.withUnsafeMutableBufferPointer { out in
            let out = SendableBuffer(out)
            let codec = self.codec
            let toEncode = toEncode
            concurrently(toEncode.count) { j in out.pointer[j] = codec.encode(input.slice(ranges[toEncode[j]])) }
        }
        for (j, i) in toEncode.enumerated() { try store.put(ids[i], stored: encoded[j]) }
        return ids.indices.map { i in WrittenBlock(id: ids[i], length: ranges[i].count, isNew: firstOf[ids[i]] == i) }
    }
}

/// A buffer that parallel iterations write into at distinct indices.
struct SendableBuffer<T>: @unchecked Sendable {
    // Each concurrent iteration touches only its own index, so no two threads share an element.
    let pointer: UnsafeMutableBufferPointer<T>
    init(_ pointer: UnsafeMutableBufferPointer<T>) { self.pointer = pointer }
}

/// Read-only bytes shared by parallel iterations.
struct SendableBytes: @unchecked Sendable {
    // Nobody writes the buffer while the iterations run.
    let buffer: UnsafeRawBufferPointer
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[range]) }
}

/// Runs `body(0..<count)` on all cores; serially when there is one item.
func concurrently(_ count: Int, _ body: @Sendable (Int) -> Void) {
    if count <= 1 {
        for i in 0..<count { body(i) }
    } else {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}
