import Foundation
import Synchronization

/// Object-shaped storage of encoded blocks: one block is one object, addressed by its id.
///
/// Implementations are thread-safe. `put` may buffer; a block is durable only once `sync()`
/// returns, and callers commit metadata that refers to a block only after that (DESIGN.md
/// invariant 1). Every implementation passes the shared conformance suite in BlocksTests.
public protocol BlockStore: AnyObject, Sendable {
    /// Stores the encoded form of block `id`. Storing an id that is already present is a no-op.
    func put(_ id: BlockID, stored: Data) throws(BlockError)
    /// The encoded form of block `id`; `BlockError.missing` if absent.
    func get(_ id: BlockID) throws(BlockError) -> Data
    /// The encoded forms of `ids`, in order, or the error `get` throws for the first that fails.
    /// A requirement, like `missing`: the pack store finds a whole batch in one index read and
    /// reads the blocks on every core, where one `get` each takes a lock and a read apiece.
    func getMany(_ ids: [BlockID]) throws(BlockError) -> [Data]
    /// Whether block `id` is present (durable or pending).
    func has(_ id: BlockID) throws(BlockError) -> Bool
    /// The ids among `ids` that are not present. A requirement, not only an extension method:
    /// a call through `any BlockStore` must reach a store's own batched lookup (the pack store
    /// answers a whole batch in one read), not the one-`has`-per-id default.
    func missing(_ ids: [BlockID]) throws(BlockError) -> Set<BlockID>
    /// Removes the given blocks; absent ids are ignored.
    func delete(_ ids: [BlockID]) throws(BlockError)
    /// Every id present, in no particular order.
    func enumerate() throws(BlockError) -> [BlockID]
    /// Encoded size of block `id`, or nil when absent.
    func size(_ id: BlockID) throws(BlockError) -> Int?
    /// Makes every block put so far durable.
    func sync() throws(BlockError)
    /// Sets block `id` aside because a read found it damaged (`reason` says how), unless its
    /// stored copy reads back intact now. A block set aside no longer counts as present (`has`,
    /// `missing`), so storing the same content again stores a fresh copy and heals every file
    /// that uses the id; until then `get` reports it as `.corrupted` with `reason`.
    func quarantine(_ id: BlockID, reason: String) throws(BlockError)
}

extension BlockStore {
    /// The ids among `ids` that are not present, one `has` each.
    public func missing(_ ids: [BlockID]) throws(BlockError) -> Set<BlockID> {
        var result = Set<BlockID>()
        for id in ids where try !has(id) { result.insert(id) }
        return result
    }

    /// One `get` each, on every core.
    public func getMany(_ ids: [BlockID]) throws(BlockError) -> [Data] {
        try concurrentMap(ids.count) { i throws(BlockError) in try get(ids[i]) }
    }

    /// Reads, decodes and verifies the blocks `ids` (see `read`), on every core; in order.
    public func readMany(_ ids: [BlockID], maxRawLength: Int) throws(BlockError) -> [Data] {
        let stored: [Data]
        do {
            stored = try getMany(ids)
        } catch .corrupted {
            // A block set aside: one read each names it, as `read` alone would.
            return try ids.map { id throws(BlockError) in try read(id, maxRawLength: maxRawLength) }
        }
        return try concurrentMap(ids.count) { i throws(BlockError) in try verified(ids[i], stored[i], maxRawLength: maxRawLength) }
    }

    /// Reads, decodes and verifies block `id`: the raw bytes, or `.corrupted` naming the block.
    /// A damaged block is quarantined on the way out, so the next put of its content repairs it.
    /// `maxRawLength` is the store's maximum block size: a block claiming more is damaged.
    public func read(_ id: BlockID, maxRawLength: Int) throws(BlockError) -> Data {
        let stored: Data
        do {
            stored = try get(id)
        } catch .corrupted(let why) {
            throw damaged(id, why)
        }
        return try verified(id, stored, maxRawLength: maxRawLength)
    }

    /// The raw bytes of block `id` from its encoded form `stored`, checked against the id.
    private func verified(_ id: BlockID, _ stored: Data, maxRawLength: Int) throws(BlockError) -> Data {
        let raw: Data
        do {
            raw = try BlockCodec.decode(stored, maxRawLength: maxRawLength)
        } catch .corrupted(let why) {
            throw damaged(id, why)
        }
        guard BlockID(hashing: raw) == id else { throw damaged(id, "its content does not match its hash") }
        return raw
    }

    private func damaged(_ id: BlockID, _ why: String) -> BlockError {
        // Best effort: the damage is what the caller must hear about, even if setting it aside fails.
        try? quarantine(id, reason: why)
        return .corrupted("block \(id.hex) is corrupted: \(why)")
    }
}

extension BlockCodec {
    /// Whether `stored` decodes and matches the hash `id`. Bounded by `largestRawLength`: the
    /// stores that call this do not know their drive's maximum block size.
    static func isIntact(_ stored: Data, as id: BlockID) -> Bool {
        guard let raw = try? decode(stored, maxRawLength: largestRawLength) else { return false }
        return BlockID(hashing: raw) == id
    }
}

/// A block store in memory: for tests and as the model every other backend must behave like.
///
/// Thread-safe: the blocks and the quarantine records are one `Mutex`.
public final class MemoryBlockStore: BlockStore {
    private let state = Mutex(State())

    private struct State {
        var blocks: [BlockID: Data] = [:]
        /// Why each quarantined block was set aside.
        var quarantined: [BlockID: String] = [:]
    }

    public init() {}

    public func put(_ id: BlockID, stored: Data) throws(BlockError) {
        state.withLock { state in
            if state.blocks[id] == nil {
                state.blocks[id] = stored
                state.quarantined[id] = nil
            }
        }
    }

    public func get(_ id: BlockID) throws(BlockError) -> Data {
        let (data, reason) = state.withLock { ($0.blocks[id], $0.quarantined[id]) }
        if let data { return data }
        if let reason { throw .corrupted(reason) }
        throw .missing(id)
    }

    public func has(_ id: BlockID) throws(BlockError) -> Bool {
        state.withLock { $0.blocks[id] != nil }
    }

    public func delete(_ ids: [BlockID]) throws(BlockError) {
        state.withLock { state in for id in ids { state.blocks[id] = nil; state.quarantined[id] = nil } }
    }

    public func enumerate() throws(BlockError) -> [BlockID] {
        state.withLock { Array($0.blocks.keys) }
    }

    public func size(_ id: BlockID) throws(BlockError) -> Int? {
        state.withLock { $0.blocks[id]?.count }
    }

    public func sync() throws(BlockError) {}

    public func quarantine(_ id: BlockID, reason: String) throws(BlockError) {
        state.withLock { state in
            guard let stored = state.blocks[id], !BlockCodec.isIntact(stored, as: id) else { return }
            state.blocks[id] = nil
            state.quarantined[id] = reason
        }
    }

    /// Replaces the stored bytes of a block, for corruption tests.
    public func tamper(_ id: BlockID, with stored: Data) {
        state.withLock { $0.blocks[id] = stored }
    }
}
