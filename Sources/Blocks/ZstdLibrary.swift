import CZlib
import Foundation

/// zstd for block payloads, loaded at run time (`dlopen("libzstd.so.1")`, Debian's `libzstd1`,
/// which apt itself depends on), so building needs no `libzstd-dev`; `CAIRN_ZSTD=0` keeps it
/// unloaded (new blocks are then deflated, and stored zstd blocks cannot be read).
///
/// On the `cairn-bench peers` tree (35,824 blocks, 316 MiB), one core: libdeflate level 1 makes
/// 144.9 MiB at 111 MB/s and reads it back at 761 MB/s; zstd level 1 146.0 MiB at 286 MB/s and
/// 918 MB/s, level 3 143.2 MiB at 193 MB/s and 906 MB/s. Thread-safe: each thread uses its own
/// contexts.
public enum ZstdLibrary {
    /// Whether libzstd.so.1 loaded (once per process; false when `CAIRN_ZSTD=0`).
    public static var isLoaded: Bool { czlib_zstd_available() != 0 }

    /// One zstd frame of `input` at `level`; nil when it would exceed `limit` bytes.
    static func compress(_ input: UnsafeRawBufferPointer, level: Int32, limit: Int) -> Data? {
        var out = Data(count: max(limit, 16))
        let size = out.withUnsafeMutableBytes { dst in
            czlib_zstd_compress(level, input.baseAddress, input.count, dst.baseAddress, limit)
        }
        guard size > 0 else { return nil }
        out.count = size
        return out
    }

    /// Decompresses a zstd frame that must come to exactly `rawLength` bytes.
    static func decompress(_ payload: Data, rawLength: Int) throws(BlockError) -> Data {
        guard isLoaded else {
            throw .unsupported("a stored block is zstd-compressed and libzstd.so.1 does not load here (install libzstd1, or unset CAIRN_ZSTD=0)")
        }
        var out = Data(count: rawLength)
        let intact = payload.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                czlib_zstd_decompress(src.baseAddress, src.count, dst.baseAddress, rawLength) == 0
            }
        }
        guard intact else { throw .corrupted("compressed block does not decompress to its recorded length") }
        return out
    }
}
