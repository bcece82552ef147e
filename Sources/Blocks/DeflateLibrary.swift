import CZlib
import Foundation

/// The library that makes and reads raw DEFLATE (RFC 1951) block payloads.
///
/// libdeflate compresses about twice as fast as zlib at level 1, with a better ratio, and
/// inflates 4–6× as fast (whole buffers only, which is what blocks are). It is loaded at run
/// time (`dlopen("libdeflate.so.0")`, Debian's `libdeflate0`), so building needs no
/// `libdeflate-dev` and a machine without it falls back to zlib; `CAIRN_LIBDEFLATE=0` forces zlib.
/// Both write the same format and each reads the other's blocks. Thread-safe.
public enum DeflateLibrary: Sendable, Equatable {
    case zlib
    case libdeflate

    /// libdeflate when it loads in this process, else zlib.
    public static var preferred: DeflateLibrary { isLibdeflateLoaded ? .libdeflate : .zlib }

    /// Whether libdeflate.so.0 loaded (once per process; false when `CAIRN_LIBDEFLATE=0`).
    public static var isLibdeflateLoaded: Bool { czlib_libdeflate_available() != 0 }

    /// Raw deflate of `input` at `level` (1…9); nil when the output would exceed `limit` bytes.
    func deflate(_ input: UnsafeRawBufferPointer, level: Int32, limit: Int) -> Data? {
        var out = Data(count: max(limit, 16))
        let size: Int? = out.withUnsafeMutableBytes { dst in
            switch self {
            case .libdeflate where Self.isLibdeflateLoaded:
                let size = czlib_libdeflate_compress(level, input.baseAddress, input.count, dst.baseAddress, limit)
                return size > 0 ? size : nil
            case .zlib, .libdeflate:
                return Self.zlibDeflate(input, level: level, into: UnsafeMutableRawBufferPointer(rebasing: dst[..<limit]))
            }
        }
        guard let size else { return nil }
        out.count = size
        return out
    }

    /// Inflates a raw deflate payload that must come to exactly `rawLength` bytes.
    func inflate(_ payload: Data, rawLength: Int) throws(BlockError) -> Data {
        var out = Data(count: rawLength)
        let intact = payload.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                switch self {
                case .libdeflate where Self.isLibdeflateLoaded:
                    return czlib_libdeflate_decompress(src.baseAddress, src.count, dst.baseAddress, rawLength) == 0
                case .zlib, .libdeflate:
                    return Self.zlibInflate(src, into: dst)
                }
            }
        }
        guard intact else { throw .corrupted("compressed block does not inflate to its recorded length") }
        return out
    }

    /// zlib's raw deflate of `input` into `output`: the size, or nil when it does not fit.
    private static func zlibDeflate(_ input: UnsafeRawBufferPointer, level: Int32, into output: UnsafeMutableRawBufferPointer) -> Int? {
        var stream = z_stream()
        guard czlib_deflate_init_raw(&stream, level) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
        stream.avail_in = uInt(input.count)
        stream.next_out = output.bindMemory(to: Bytef.self).baseAddress
        stream.avail_out = uInt(output.count)
        guard CZlib.deflate(&stream, Z_FINISH) == Z_STREAM_END else { return nil }
        return Int(stream.total_out)
    }

    /// zlib's inflate of raw deflate `input`: whether it filled `output` exactly.
    private static func zlibInflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        var stream = z_stream()
        guard czlib_inflate_init_raw(&stream) == Z_OK else { return false }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
        stream.avail_in = uInt(input.count)
        stream.next_out = output.bindMemory(to: Bytef.self).baseAddress
        stream.avail_out = uInt(output.count)
        return CZlib.inflate(&stream, Z_FINISH) == Z_STREAM_END && Int(stream.total_out) == output.count
    }
}
