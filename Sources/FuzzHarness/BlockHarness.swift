import Blocks
import Foundation

/// Harnesses for the block layer's readers of stored bytes: the block codec and pack records.
enum BlockHarness {
    /// The maximum block size the codec harness decodes with: small, so that any allocation the
    /// decoder makes for a claimed length beyond it shows up (libFuzzer's `-malloc_limit_mb`).
    static let maxRawLength = 64 << 10
    /// The longest stored record the pack harness accepts.
    static let maxStoredLength = 4 << 10

    /// Decodes the input as a stored block; then encodes it as a raw block and decodes it back.
    static func codec(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        let stored = Data(input)
        do {
            let raw = try BlockCodec.decode(stored, maxRawLength: maxRawLength)
            try FuzzFailure.check(raw.count <= maxRawLength, "decoded \(raw.count) bytes, over the \(maxRawLength) bound")
            try FuzzFailure.check(raw.count == BlockCodec.rawLength(ofStored: stored),
                                  "decoded \(raw.count) bytes, header says \(BlockCodec.rawLength(ofStored: stored) ?? -1)")
            try roundTrip(raw, level: 1)
        } catch let error as BlockError {
            guard case .corrupted = error else { throw FuzzFailure("decode threw \(error), not .corrupted") }
        } catch let failure as FuzzFailure {
            throw failure
        } catch {
            throw FuzzFailure("decode threw \(error)")
        }
        // The input as a raw block: every level must give bytes that decode back to it.
        let level = input.first.map { Int($0 % 10) } ?? 1
        try roundTrip(stored.prefix(maxRawLength), level: level)
    }

    private static func roundTrip(_ raw: Data, level: Int) throws(FuzzFailure) {
        let encoded = BlockCodec(level: level).encode(raw)
        do {
            let decoded = try BlockCodec.decode(encoded, maxRawLength: raw.count)
            try FuzzFailure.check(decoded == raw, "encode at level \(level) then decode changed \(raw.count) bytes")
        } catch let failure as FuzzFailure {
            throw failure
        } catch {
            throw FuzzFailure("a block encoded at level \(level) does not decode: \(error)")
        }
    }

    /// Reads the input as a pack file, with and without the magic in front: the records must
    /// tile the bytes exactly, each within the bound, and write back to the same bytes.
    static func packRecords(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        try readPack(Data(input))
        try readPack(PackBlockStore.packMagic + Data(input))
    }

    private static func readPack(_ pack: Data) throws(FuzzFailure) {
        var records: [PackRecord] = []
        do {
            var reader = try PackRecordReader(pack: pack, maxStoredLength: maxStoredLength)
            var end = PackBlockStore.packMagic.count
            while let record = try reader.next() {
                try FuzzFailure.check(record.offset == end + PackRecordReader.headerSize,
                                      "record at \(record.offset) does not follow the previous one ending at \(end)")
                try FuzzFailure.check(record.length <= maxStoredLength, "record of \(record.length) bytes, over the bound")
                try FuzzFailure.check(record.offset + record.length <= pack.count, "record runs past the end of the pack")
                end = record.offset + record.length
                records.append(record)
            }
            try FuzzFailure.check(end == pack.count, "records end at \(end), the pack at \(pack.count)")
        } catch let error as BlockError {
            guard case .corrupted = error else { throw FuzzFailure("reader threw \(error), not .corrupted") }
            return
        } catch let failure as FuzzFailure {
            throw failure
        } catch {
            throw FuzzFailure("reader threw \(error)")
        }
        var written = PackBlockStore.packMagic
        for record in records {
            written.append(record.id.bytes)
            withUnsafeBytes(of: UInt32(record.length).littleEndian) { written.append(contentsOf: $0) }
            written.append(pack[(pack.startIndex + record.offset)..<(pack.startIndex + record.offset + record.length)])
        }
        try FuzzFailure.check(written == pack, "writing the \(records.count) records back does not give the pack")
    }
}
