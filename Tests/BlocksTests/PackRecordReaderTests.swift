import Blocks
import Foundation
import GRDB
import Testing

@Suite struct PackRecordReaderTests {
    /// A pack as `PackBlockStore` writes it: its records are the blocks put, where `get` finds them.
    @Test func readsThePacksAStoreWrites() throws {
        let (store, _, dir) = try Backend.pack.make()
        defer { _ = dir }
        let pack = try #require(store as? PackBlockStore)
        let blocks = (0..<5).map { sampleBlock(UInt64(30 + $0), size: 1000 * ($0 + 1)) }
        for (id, stored) in blocks { try store.put(id, stored: stored) }
        try pack.seal()
        let files = try packFiles(pack)
        #expect(files.count == 1)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: try #require(files.first)))
        let records = try PackRecordReader.records(in: bytes)
        #expect(records.map(\.id) == blocks.map(\.0))
        for (record, (_, stored)) in zip(records, blocks) {
            #expect(record.length == stored.count)
            #expect(bytes[record.offset..<(record.offset + record.length)] == stored)
        }
    }

    @Test func emptyPackHasNoRecords() throws {
        #expect(try PackRecordReader.records(in: PackBlockStore.packMagic).isEmpty)
    }

    @Test func wrongMagicIsCorrupted() {
        #expect(throws: BlockError.corrupted("pack does not start with CAIRNPK1")) {
            _ = try PackRecordReader.records(in: Data("CAIRNPK2".utf8))
        }
    }

    @Test func truncatedHeaderAndPayloadAreCorrupted() throws {
        let pack = Self.pack([(Self.id(1), Data(repeating: 7, count: 100))])
        #expect(try PackRecordReader.records(in: pack).count == 1)
        #expect(throws: BlockError.corrupted("pack record at offset 8 is truncated: it claims 100 bytes, 99 remain")) {
            _ = try PackRecordReader.records(in: pack.dropLast())
        }
        #expect(throws: BlockError.corrupted("pack record at offset 8 is truncated: 20 bytes of its 36-byte header")) {
            _ = try PackRecordReader.records(in: pack.prefix(28))
        }
    }

    /// A length field past the bound is refused from the header: a 4 GiB claim allocates nothing.
    @Test func oversizedRecordIsCorrupted() throws {
        var pack = Self.pack([(Self.id(2), Data(repeating: 1, count: 64))])
        pack.replaceSubrange(40..<44, with: [0xFF, 0xFF, 0xFF, 0xFF])
        let claim = "pack record for block \(Self.id(2).hex) claims 4294967295 bytes"
        #expect(throws: BlockError.corrupted("\(claim), more than the \(PackRecordReader.largestStoredLength) a block may take")) {
            _ = try PackRecordReader.records(in: pack)
        }
        let small = Self.pack([(Self.id(3), Data(repeating: 1, count: 65))])
        #expect(throws: BlockError.self) { _ = try PackRecordReader.records(in: small, maxStoredLength: 64) }
        #expect(try PackRecordReader.records(in: small, maxStoredLength: 65).count == 1)
    }

    /// Compaction copies a record only if its header names the block and length the index
    /// gives for that offset; otherwise it stops before moving anything.
    @Test func compactionRefusesARecordThatIsNotTheIndexedBlock() throws {
        let (store, reopen, dir) = try Backend.pack.make()
        defer { _ = dir }
        let pack = try #require(store as? PackBlockStore)
        let (garbage, garbageStored) = sampleBlock(40, size: 50_000)
        let (kept, keptStored) = sampleBlock(41, size: 5000)
        try store.put(garbage, stored: garbageStored)
        try store.put(kept, stored: keptStored)
        try pack.seal()
        try store.delete([garbage])
        // Damage the id in the header of the kept block's record; its stored bytes stay intact.
        let path = try #require(try packFiles(pack).first)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let record = try #require(try PackRecordReader.records(in: bytes).first { $0.id == kept })
        bytes[record.offset - 36] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))

        #expect(throws: BlockError.self) { _ = try pack.compact() }
        #expect(try packFiles(pack) == [path]) // the half-written new pack is gone
        #expect(try reopen().read(kept, maxRawLength: 1 << 20).count == 5000)
    }

    func packFiles(_ pack: PackBlockStore) throws -> [String] {
        let root = pack.folder.appendingPathComponent("packs").path
        return try FileManager.default.subpathsOfDirectory(atPath: root)
            .filter { $0.hasSuffix(".pack") }.map { root + "/" + $0 }
    }

    static func id(_ n: UInt8) -> BlockID { BlockID(hashing: Data([n])) }

    static func pack(_ records: [(BlockID, Data)]) -> Data {
        var pack = PackBlockStore.packMagic
        for (id, stored) in records {
            pack.append(id.bytes)
            withUnsafeBytes(of: UInt32(stored.count).littleEndian) { pack.append(contentsOf: $0) }
            pack.append(stored)
        }
        return pack
    }
}
