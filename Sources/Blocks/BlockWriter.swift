import Dispatch
import Foundation
import Synchronization

/// One block of a file as it was written: its id, raw length, and whether this write stored it.
public struct WrittenBlock: Sendable, Equatable {
    public let id: BlockID
    public let length: Int
    /// True when the block was not in the store before (and is the first of its id written).
    public let isNew: Bool

    public init(id: BlockID, length: Int, isNew: Bool) {
        self.id = id
        self.length = length
        self.isNew = isNew
    }
}

/// Hashes, deduplicates, compresses and stores batches of blocks, on every core.
///
/// A batch is a buffer and the ranges of its blocks. Hashing runs in parallel, one lookup finds
/// which ids are new, only the new blocks are compressed (in parallel), and their stored forms
/// are handed to a serial queue that appends them to the store while the caller reads and hashes
/// the next batch. At most two batches wait there, so memory stays bounded. Nothing is durable
/// until `drain()` and then the store's `sync()`.
///
/// Thread-safe: the ids submitted and the first failure are one `Mutex`; batches are stored in
/// call order.
public final class BlockWriter: Sendable {
    public let store: any BlockStore
    public let codec: BlockCodec
    private let queue = DispatchQueue(label: "cairn.blocks.store")
    private let slots = DispatchSemaphore(value: 2)
    private let state = Mutex((submitted: Set<BlockID>(), failure: BlockError?.none))

    public init(store: any BlockStore, codec: BlockCodec) {
        self.store = store
        self.codec = codec
    }

    /// Writes the blocks `ranges` of `buffer`; returns them in order. The bytes are copied (or
    /// compressed) before this returns, so the caller may reuse the buffer at once.
    public func write(_ buffer: UnsafeRawBufferPointer, ranges: [Range<Int>]) throws(BlockError) -> [WrittenBlock] {
        if let failure = state.withLock({ $0.failure }) { throw failure }
        let count = ranges.count
        guard count > 0 else { return [] }
        let input = SendableBytes(buffer)
        var ids = [BlockID](repeating: BlockID(hashing: Data()), count: count)
        ids.withUnsafeMutableBufferPointer { out in
            let out = SendableBuffer(out)
            concurrently(count) { i in out.pointer[i] = BlockID(hashing: input.slice(ranges[i])) }
        }
        let candidates = state.withLock { [ids] in Set(ids).subtracting($0.submitted) }
        let absent = try store.missing(Array(candidates))
        // The first occurrence of each absent id is new; later ones share it.
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
        let newIDs = toEncode.map { ids[$0] }
        state.withLock { $0.submitted.formUnion(newIDs) }
        if !newIDs.isEmpty { enqueue(newIDs, encoded) }
        return ids.indices.map { i in WrittenBlock(id: ids[i], length: ranges[i].count, isNew: firstOf[ids[i]] == i) }
    }

    /// Waits until every block handed over so far is in the store (not yet durable: call the
    /// store's `sync()` next); rethrows the first storage error.
    public func drain() throws(BlockError) {
        queue.sync {}
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    private func enqueue(_ ids: [BlockID], _ encoded: [Data]) {
        slots.wait()
        let store = self.store
        queue.async { [self] in
            defer { slots.signal() }
            guard state.withLock({ $0.failure == nil }) else { return }
            do {
                for (id, stored) in zip(ids, encoded) { try store.put(id, stored: stored) }
            } catch {
                let stored = error as? BlockError ?? .io("\(error)")
                state.withLock { if $0.failure == nil { $0.failure = stored } }
            }
        }
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

/// `body(i)` for each `i` in `0..<count`, on all cores; the results in order, or the error of
/// the lowest index that failed.
public func concurrentMap<T, E: Error>(_ count: Int, _ body: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
    var results = [Result<T, E>?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { pointer in
        let out = SendableBuffer(pointer)
        concurrently(count) { i in out.pointer[i] = Result { () throws(E) in try body(i) } }
    }
    return try results.map { result throws(E) in try result!.get() }
}
