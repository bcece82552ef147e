import Foundation

/// How a stored block's payload is encoded.
public enum BlockCodecKind: UInt8, Sendable {
    case raw = 0
    case deflate = 1
    case zstd = 2
}

/// How a store compresses its new blocks (blocks already stored keep their own codec byte, so
/// a store may hold all three kinds and every reader reads them all).
public enum BlockCompression: String, Sendable, Equatable, CaseIterable {
    /// zstd frames (libzstd, loaded at run time): about twice as fast as libdeflate at its
    /// lowest levels for the same ratio, and faster to read.
    case zstd
    /// Raw DEFLATE, by libdeflate or zlib: what every store wrote before zstd, and the fallback
    /// where libzstd.so.1 does not load.
    case deflate

    /// zstd where libzstd loads, else deflate.
    public static var preferred: BlockCompression { ZstdLibrary.isLoaded ? .zstd : .deflate }

    /// The levels a store may set (0 stores every block raw).
    public var levels: ClosedRange<Int> {
        switch self { case .zstd: 0...19; case .deflate: 0...9 }
    }
}

/// Encodes raw blocks into stored form and back.
///
/// Stored form = 8-byte header + payload. Header: magic "CB" (0x43 0x42), format version (1),
/// codec (`BlockCodecKind`), raw length (UInt32, little-endian). A block is stored raw when a
/// cheap probe (compressing its first 8 KiB at the lowest level) saves less than 3 %, or when
/// the full compression saves less than 1/64.
///
/// A deflate payload is raw DEFLATE (RFC 1951), made and read by libdeflate when that library
/// loads at run time, else by zlib (`DeflateLibrary`); each reads what the other wrote, so the
/// codec byte does not say which one wrote a block. A zstd payload is one zstd frame
/// (`ZstdLibrary`); where libzstd does not load, new blocks are deflated instead and a zstd
/// block cannot be read (`BlockError.unsupported`). Thread-safe: every call uses its own zlib
/// stream, or the calling thread's own libdeflate or zstd objects.
public struct BlockCodec: Sendable {
    public static let headerSize = 8
    static let magic: (UInt8, UInt8) = (0x43, 0x42)
    static let formatVersion: UInt8 = 1
    static let probeSize = 8 << 10
    /// The largest raw block any store may hold (`ChunkerParameters.validate` caps a store's
    /// maximum block size here): the bound for decoding when the store's own is not at hand.
    public static let largestRawLength = 64 << 20

    /// How new blocks are compressed: `.zstd` only when libzstd is loaded.
    public let compression: BlockCompression
    /// The level for `compression` (zstd 1…19, deflate 1…9), or 0 to store every block raw.
    public let level: Int32
    /// Which library deflates new blocks (and reads deflated ones).
    public let library: DeflateLibrary

    /// - Parameters:
    ///   - compression: the codec for new blocks; `.zstd` where libzstd does not load becomes
    ///     `.deflate` at level 1 (a zstd level means nothing to deflate).
    public init(compression: BlockCompression = .deflate, level: Int = 1, library: DeflateLibrary = .preferred) {
        if compression == .zstd, !ZstdLibrary.isLoaded {
            self.compression = .deflate
            self.level = level == 0 ? 0 : 1
        } else {
            self.compression = compression
            self.level = Int32(max(compression.levels.lowerBound, min(compression.levels.upperBound, level)))
        }
        self.library = library
    }

    /// Encodes `raw` into its stored form.
    public func encode(_ raw: UnsafeRawBufferPointer) -> Data {
        if level > 0, raw.count >= 64, worthCompressing(raw) {
            let limit = raw.count - raw.count / 64
            switch compression {
            case .zstd:
                if let packed = ZstdLibrary.compress(raw, level: level, limit: limit) {
                    return Self.header(codec: .zstd, rawLength: raw.count) + packed
                }
            case .deflate:
                if let packed = library.deflate(raw, level: level, limit: limit) {
                    return Self.header(codec: .deflate, rawLength: raw.count) + packed
                }
            }
        }
        var out = Self.header(codec: .raw, rawLength: raw.count)
        out.append(raw.bindMemory(to: UInt8.self))
        return out
    }

    public func encode(_ raw: Data) -> Data {
        raw.withUnsafeBytes { encode($0) }
    }

    /// Decodes a stored block; throws `BlockError.corrupted` on a bad header or payload.
    /// The caller verifies the hash of the result.
    ///
    /// - Parameter maxRawLength: the store's maximum block size. A header that claims a longer
    ///   block is `.corrupted` before anything is allocated for it (a damaged length field could
    ///   otherwise ask for up to 4 GiB).
    public static func decode(_ stored: Data, maxRawLength: Int,
                              library: DeflateLibrary = .preferred) throws(BlockError) -> Data {
        guard stored.count >= headerSize else { throw .corrupted("stored block shorter than its header") }
        let (codecByte, rawLength) = stored.withUnsafeBytes { raw -> (UInt8?, Int) in
            guard raw[0] == magic.0, raw[1] == magic.1, raw[2] == formatVersion else { return (nil, 0) }
            return (raw[3], Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self))))
        }
        guard let codecByte, let codec = BlockCodecKind(rawValue: codecByte) else {
            throw .corrupted("stored block has an unknown header")
        }
        guard rawLength <= maxRawLength else {
            throw .corrupted("stored block claims \(rawLength) bytes, more than the store's maximum block size of \(maxRawLength)")
        }
        let payload = stored.subdata(in: (stored.startIndex + headerSize)..<stored.endIndex)
        switch codec {
        case .raw:
            guard payload.count == rawLength else { throw .corrupted("raw block length mismatch") }
            return payload
        case .deflate:
            return try library.inflate(payload, rawLength: rawLength)
        case .zstd:
            return try ZstdLibrary.decompress(payload, rawLength: rawLength)
        }
    }

    /// The raw length recorded in a stored block's header, without decoding it.
    public static func rawLength(ofStored stored: Data) -> Int? {
        guard stored.count >= headerSize else { return nil }
        return stored.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self))) }
    }

    static func header(codec: BlockCodecKind, rawLength: Int) -> Data {
        var h = Data([magic.0, magic.1, formatVersion, codec.rawValue, 0, 0, 0, 0])
        let length = UInt32(rawLength).littleEndian
        withUnsafeBytes(of: length) { h.replaceSubrange(4..<8, with: $0) }
        return h
    }

    private func worthCompressing(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard raw.count > Self.probeSize * 2 else { return true }
        let probe = UnsafeRawBufferPointer(rebasing: raw[0..<Self.probeSize])
        let limit = Self.probeSize - Self.probeSize / 32
        switch compression {
        case .zstd: return ZstdLibrary.compress(probe, level: 1, limit: limit) != nil
        case .deflate: return library.deflate(probe, level: 1, limit: limit) != nil
        }
    }
}
