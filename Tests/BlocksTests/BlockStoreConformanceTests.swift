import Blocks
import Foundation
import GRDB
import Testing

/// A fresh, real backend for each test: both implementations must pass the same suite.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case memory, pack
    var testDescription: String { rawValue }

    /// Makes a store; `reopen` gives a second instance over the same durable state.
    func make() throws -> (store: any BlockStore, reopen: () throws -> any BlockStore, dir: TempDir?) {
        switch self {
        case .memory:
            let store = MemoryBlockStore()
            return (store, { store }, nil)
        case .pack:
            let dir = try TempDir()
            let open = { () throws -> any BlockStore in
                let db = try DatabaseQueue(path: dir.url.appendingPathComponent("meta.sqlite").path)
                var migrator = DatabaseMigrator()
                PackBlockStore.registerMigrations(in: &migrator)
                try migrator.migrate(db)
                return try PackBlockStore(folder: dir.url.appendingPathComponent("blocks"), database: db, targetPackSize: 256 << 10)
            }
            return (try open(), open, dir)
        }
    }
}

final class TempDir: @unchecked Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}

func sampleBlock(_ seed: UInt64, size: Int = 5000) -> (BlockID, Data) {
    var generator = SeededGenerator(seed: seed)
    let raw = Data(generator.bytes(size))
    return (BlockID(hashing: raw), BlockCodec().encode(raw))
}

@Suite struct BlockStoreConformanceTests {
    @Test(arguments: Backend.allCases)
    func putGetHasSize(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let (id, stored) = sampleBlock(1)
        #expect(try !store.has(id))
        #expect(try store.size(id) == nil)
        try store.put(id, stored: stored)
        #expect(try store.has(id))
        #expect(try store.get(id) == stored)
        #expect(try store.size(id) == stored.count)
        try store.sync()
        #expect(try store.get(id) == stored)
        #expect(try store.read(id).count == 5000)
    }

    @Test(arguments: Backend.allCases)
    func missingBlockIsReported(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let (id, _) = sampleBlock(2)
        #expect(throws: BlockError.missing(id)) { _ = try store.get(id) }
    }

    @Test(arguments: Backend.allCases)
    func putIsIdempotentAndEnumerateListsEachOnce(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let blocks = (0..<20).map { sampleBlock(UInt64($0)) }
        for (id, stored) in blocks + blocks { try store.put(id, stored: stored) }
        try store.sync()
        for (id, stored) in blocks { try store.put(id, stored: stored) }
        try store.sync()
        #expect(Set(try store.enumerate()) == Set(blocks.map(\.0)))
        #expect(try store.enumerate().count == 20)
        let absent = sampleBlock(1000).0
        #expect(try store.missing(blocks.map(\.0) + [absent]) == [absent])
    }

    @Test(arguments: Backend.allCases)
    func deleteRemovesOnlyNamedBlocks(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let blocks = (0..<10).map { sampleBlock(UInt64($0)) }
        for (id, stored) in blocks { try store.put(id, stored: stored) }
        try store.sync()
        try store.delete(blocks.prefix(4).map(\.0) + [sampleBlock(500).0])
        #expect(Set(try store.enumerate()) == Set(blocks.dropFirst(4).map(\.0)))
        for (id, stored) in blocks.dropFirst(4) { #expect(try store.get(id) == stored) }
        #expect(throws: BlockError.self) { _ = try store.get(blocks[0].0) }
    }

    @Test(arguments: Backend.allCases)
    func syncedBlocksSurviveReopen(_ backend: Backend) throws {
        let (store, reopen, dir) = try backend.make()
        defer { _ = dir }
        let blocks = (0..<200).map { sampleBlock(UInt64($0), size: 3000) }
        for (id, stored) in blocks { try store.put(id, stored: stored) }
        try store.sync()
        let again = try reopen()
        for (id, stored) in blocks { #expect(try again.get(id) == stored) }
    }

    @Test(arguments: Backend.allCases)
    func readVerifiesTheHash(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let (id, _) = sampleBlock(5)
        let (_, other) = sampleBlock(6)
        // A block whose bytes are intact but belong to another id: decoding works, the hash does not.
        try store.put(id, stored: other)
        try store.sync()
        #expect(throws: BlockError.self) { _ = try store.read(id) }
    }

    @Test(arguments: Backend.allCases)
    func concurrentPutsAndGets(_ backend: Backend) throws {
        let (store, _, dir) = try backend.make()
        defer { _ = dir }
        let blocks = (0..<64).map { sampleBlock(UInt64($0), size: 2000) }
        DispatchQueue.concurrentPerform(iterations: blocks.count) { i in
            try? store.put(blocks[i].0, stored: blocks[i].1)
            _ = try? store.get(blocks[(i * 7) % blocks.count].0)
        }
        try store.sync()
        for (id, stored) in blocks { #expect(try store.get(id) == stored) }
    }
}

@Suite struct PackBlockStoreTests {
    @Test func unsyncedBlocksAreNotInTheIndexAfterACrash() throws {
        let (store, reopen, dir) = try Backend.pack.make()
        defer { _ = dir }
        let (a, storedA) = sampleBlock(1)
        let (b, storedB) = sampleBlock(2)
        try store.put(a, stored: storedA)
        try store.sync()
        try store.put(b, stored: storedB)
        // No sync for b: a new process must not believe b is stored (it would dedup against it).
        let again = try reopen()
        #expect(try again.has(a))
        #expect(try !again.has(b))
    }

    @Test func smallBlocksShareFewPackFiles() throws {
        let (store, _, dir) = try Backend.pack.make()
        defer { _ = dir }
        let pack = try #require(store as? PackBlockStore)
        for i in 0..<2000 {
            let (id, stored) = sampleBlock(UInt64(i), size: 300)
            try store.put(id, stored: stored)
        }
        try store.sync()
        let files = FileManager.default.enumerator(atPath: pack.folder.appendingPathComponent("packs").path)!
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".pack") }
        // ~620 KiB of records into 256 KiB packs.
        #expect(files.count >= 2 && files.count <= 4)
    }
}
