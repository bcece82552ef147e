import Foundation

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
    /// Whether block `id` is present (durable or pending).
    func has(_ id: BlockID) throws(BlockError) -> Bool
    /// Removes the given blocks; absent ids are ignored.
    func delete(_ ids: [BlockID]) throws(BlockError)
    /// Every id present, in no particular order.
    func enumerate() throws(BlockError) -> [BlockID]
    /// Encoded size of block `id`, or nil when absent.
    func size(_ id: BlockID) throws(BlockError) -> Int?
    /// Makes every block put so far durable.
    func sync() throws(BlockError)
}

extension BlockStore {
    /// The ids among `ids` that are not present.
    public func missing(_ ids: [BlockID]) throws(BlockError) -> Set<BlockID> {
        var result = Set<BlockID>()
        for id in ids where try !has(id) { result.insert(id) }
        return result
    }

    /// Reads, decodes and verifies block `id`: the raw bytes, or `.corrupted` naming the block.
    public func read(_ id: BlockID) throws(BlockError) -> Data {
        let raw: Data
        do {
            raw = try BlockCodec.decode(try get(id))
        } catch .corrupted(let why) {
            throw .corrupted("block \(id.hex) is corrupted: \(why)")
        }
        guard BlockID(hashing: raw) == id else {
            throw .corrupted("block \(id.hex) is corrupted: its content does not match its hash")
        }
        return raw
    }
}

/// A block store in memory: for tests and as the model every other backend must behave like.
public final class MemoryBlockStore: BlockStore, @unchecked Sendable {
    // Every access to `blocks` holds `lock`.
    private let lock = NSLock()
    private var blocks: [BlockID: Data] = [:]

    public init() {}

    public func put(_ id: BlockID, stored: Data) throws(BlockError) {
        lock.withLock { if blocks[id] == nil { blocks[id] = stored } }
    }

    public func get(_ id: BlockID) throws(BlockError) -> Data {
        guard let data = lock.withLock({ blocks[id] }) else { throw .missing(id) }
        return data
    }

    public func has(_ id: BlockID) throws(BlockError) -> Bool {
        lock.withLock { blocks[id] != nil }
    }

    public func delete(_ ids: [BlockID]) throws(BlockError) {
        lock.withLock { for id in ids { blocks[id] = nil } }
    }

    public func enumerate() throws(BlockError) -> [BlockID] {
        lock.withLock { Array(blocks.keys) }
    }

    public func size(_ id: BlockID) throws(BlockError) -> Int? {
        lock.withLock { blocks[id]?.count }
    }

    public func sync() throws(BlockError) {}

    /// Replaces the stored bytes of a block, for corruption tests.
    public func tamper(_ id: BlockID, with stored: Data) {
        lock.withLock { blocks[id] = stored }
    }
}
