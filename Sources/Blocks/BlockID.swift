import Crypto
import Foundation

/// The address of a block: the SHA-256 of its raw (uncompressed) bytes.
///
/// Stored as four big-endian words so that hashing and comparing are cheap; `Sendable` value.
public struct BlockID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// Hashes `bytes` with SHA-256.
    public init(hashing bytes: UnsafeRawBufferPointer) {
        self.init(digest: SHA256.hash(data: bytes))
    }

    /// Hashes `data` with SHA-256.
    public init(hashing data: Data) {
        self.init(digest: SHA256.hash(data: data))
    }

    init(digest: SHA256.Digest) {
        var words = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        digest.withUnsafeBytes { raw in
            words = (
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            )
        }
        (w0, w1, w2, w3) = words
    }

    /// Rebuilds an id from its 32 raw bytes; nil if the length is wrong.
    public init?(bytes: Data) {
        guard bytes.count == 32 else { return nil }
        var words = [UInt64](repeating: 0, count: 4)
        bytes.withUnsafeBytes { raw in
            for i in 0..<4 {
                words[i] = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
            }
        }
        (w0, w1, w2, w3) = (words[0], words[1], words[2], words[3])
    }

    /// Parses 64 lowercase or uppercase hex digits.
    public init?(hex: String) {
        guard hex.utf8.count == 64 else { return nil }
        var bytes = Data(capacity: 32)
        var index = hex.startIndex
        for _ in 0..<32 {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes: bytes)
    }

    /// The 32 raw bytes, big-endian, as SQLite stores them.
    public var bytes: Data {
        var data = Data(count: 32)
        data.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: w0.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: w1.bigEndian, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: w2.bigEndian, toByteOffset: 16, as: UInt64.self)
            raw.storeBytes(of: w3.bigEndian, toByteOffset: 24, as: UInt64.self)
        }
        return data
    }

    /// 64 lowercase hex digits.
    public var hex: String {
        [w0, w1, w2, w3].map { word in
            let s = String(word, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
    }

    public var description: String { String(hex.prefix(12)) }

    public static func < (a: BlockID, b: BlockID) -> Bool {
        (a.w0, a.w1, a.w2, a.w3) < (b.w0, b.w1, b.w2, b.w3)
    }
}

/// The digest of a whole file: SHA-256 over the concatenated 32-byte ids of its blocks, in order.
///
/// Like Dropbox's content_hash, but over Cairn's content-defined blocks; an empty file hashes the
/// empty string. Two files with the same digest have the same bytes (up to SHA-256 collisions).
public func fileDigest(of blocks: [BlockID]) -> BlockID {
    var hasher = SHA256()
    for id in blocks { hasher.update(data: id.bytes) }
    return BlockID(digest: hasher.finalize())
}
