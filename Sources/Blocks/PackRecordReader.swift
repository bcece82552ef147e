import Foundation

/// One record of a pack file: the block it holds and where its stored bytes lie in the pack.
public struct PackRecord: Sendable, Equatable {
    /// The block the record holds.
    public var id: BlockID
    /// Offset in the pack of the stored bytes (just past the record header).
    public var offset: Int
    /// Length of the stored bytes.
    public var length: Int

    /// Creates a record.
    public init(id: BlockID, offset: Int, length: Int) {
        self.id = id
        self.offset = offset
        self.length = length
    }
}

/// Walks the records of a pack file's bytes: `CAIRNPK1`, then records
/// `[id 32 bytes][length u32 LE][stored bytes]` (see `PackBlockStore`).
///
/// Bounded whatever the bytes say: a record longer than `maxStoredLength`, or one that runs past
/// the end of the bytes, is `.corrupted`, and nothing is ever allocated for a record's claimed
/// length (records are ranges of the bytes given). Value type, Sendable.
public struct PackRecordReader: Sendable {
    /// Size of a record header: the id, then the length.
    public static let headerSize = 36
    /// The longest stored block of any store: the largest raw block plus the codec header.
    public static let largestStoredLength = BlockCodec.largestRawLength + BlockCodec.headerSize

    /// Records longer than this are damage.
    public let maxStoredLength: Int
    private let bytes: Data
    /// Offset of the next record header from the start of `bytes`.
    private var position: Int

    /// Starts reading `pack`, a whole pack file; `.corrupted` if it does not start with the magic.
    public init(pack: Data, maxStoredLength: Int = largestStoredLength) throws(BlockError) {
        guard pack.starts(with: PackBlockStore.packMagic) else {
            throw .corrupted("pack does not start with \(String(decoding: PackBlockStore.packMagic, as: UTF8.self))")
        }
        self.bytes = pack
        self.maxStoredLength = maxStoredLength
        self.position = PackBlockStore.packMagic.count
    }

    /// The next record, or nil at the end of the pack; `.corrupted` for a truncated or
    /// oversized record (the reader then stays at that record).
    public mutating func next() throws(BlockError) -> PackRecord? {
        let remaining = bytes.count - position
        guard remaining > 0 else { return nil }
        guard remaining >= Self.headerSize else {
            throw .corrupted("pack record at offset \(position) is truncated: \(remaining) bytes of its \(Self.headerSize)-byte header")
        }
        let start = bytes.startIndex + position
        let header = try Self.header(bytes[start..<(start + Self.headerSize)], maxStoredLength: maxStoredLength)
        let offset = position + Self.headerSize
        guard header.length <= bytes.count - offset else {
            throw .corrupted("pack record at offset \(position) is truncated: it claims \(header.length) bytes, \(bytes.count - offset) remain")
        }
        position = offset + header.length
        return PackRecord(id: header.id, offset: offset, length: header.length)
    }

    /// Every record of `pack`, or the first problem found.
    public static func records(in pack: Data, maxStoredLength: Int = largestStoredLength) throws(BlockError) -> [PackRecord] {
        var reader = try PackRecordReader(pack: pack, maxStoredLength: maxStoredLength)
        var records: [PackRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// Parses a record header: the first `headerSize` bytes of `record`. `.corrupted` when the
    /// bytes are too short or the length exceeds `maxStoredLength`.
    public static func header(_ record: Data, maxStoredLength: Int = largestStoredLength) throws(BlockError) -> (id: BlockID, length: Int) {
        guard record.count >= headerSize else {
            throw .corrupted("pack record header is truncated: \(record.count) of \(headerSize) bytes")
        }
        let start = record.startIndex
        guard let id = BlockID(bytes: record[start..<(start + 32)]) else {
            throw .corrupted("pack record header has no block id")
        }
        let length = record[(start + 32)..<(start + headerSize)].withUnsafeBytes {
            Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)))
        }
        guard length <= maxStoredLength else {
            throw .corrupted("pack record for block \(id.hex) claims \(length) bytes, more than the \(maxStoredLength) a block may take")
        }
        return (id, length)
    }
}
