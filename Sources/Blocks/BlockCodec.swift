import CZlib
import Foundation

/// How a stored block's payload is encoded.
public enum BlockCodecKind: UInt8, Sendable {
    case raw = 0
    case deflate = 1
}

/// Encodes raw blocks into stored form and back.
///
/// Stored form = 8-byte header + payload. Header: magic "CB" (0x43 0x42), format version (1),
/// codec (`BlockCodecKind`), raw length (UInt32, little-endian). A block is stored raw when a
/// cheap probe (deflating its first 8 KiB at level 1) saves less than 3 %, or when the full
/// deflate does not shrink it. Thread-safe: every call uses its own zlib stream.
public struct BlockCodec: Sendable {
    public static let headerSize = 8
    static let magic: (UInt8, UInt8) = (0x43, 0x42)
    static let formatVersion: UInt8 = 1
    static let probeSize = 8 << 10
    /// The largest raw block any store may hold (`ChunkerParameters.validate` caps a store's
    /// maximum block size here): the bound for decoding when the store's own is not at hand.
    public static let largestRawLength = 64 << 20

    /// zlib level 1…9, or 0 to store every block raw.
    public let level: Int32

    public init(level: Int = 1) {
        self.level = Int32(max(0, min(9, level)))
    }

    /// Encodes `raw` into its stored form.
    public func encode(_ raw: UnsafeRawBufferPointer) -> Data {
        if level > 0, raw.count >= 64, worthCompressing(raw),
           let packed = deflate(raw, level: level, limit: raw.count - raw.count / 64) {
            return Self.header(codec: .deflate, rawLength: raw.count) + packed
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
    public static func decode(_ stored: Data, maxRawLength: Int) throws(BlockError) -> Data {
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
            return try inflate(payload, rawLength: rawLength)
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
        return deflate(probe, level: 1, limit: Self.probeSize - Self.probeSize / 32) != nil
    }

    /// Raw deflate of `input`; nil when the output would exceed `limit` bytes.
    private func deflate(_ input: UnsafeRawBufferPointer, level: Int32, limit: Int) -> Data? {
        var stream = z_stream()
        guard czlib_deflate_init_raw(&stream, level) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var out = Data(count: max(limit, 16))
        let status: Int32 = out.withUnsafeMutableBytes { dst in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = dst.bindMemory(to: Bytef.self).baseAddress
            stream.avail_out = uInt(limit)
            return CZlib.deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else { return nil }
        out.count = Int(stream.total_out)
        return out
    }

    private static func inflate(_ payload: Data, rawLength: Int) throws(BlockError) -> Data {
        var stream = z_stream()
        guard czlib_inflate_init_raw(&stream) == Z_OK else { throw .corrupted("zlib failed to start") }
        defer { inflateEnd(&stream) }
        var out = Data(count: rawLength)
        let status: Int32 = payload.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                stream.next_in = UnsafeMutablePointer(mutating: src.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(rawLength)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == rawLength else {
            throw .corrupted("compressed block does not inflate to its recorded length")
        }
        return out
    }
}
