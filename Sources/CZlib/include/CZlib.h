#ifndef CZLIB_H
#define CZLIB_H
#include <stddef.h>
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros; these wrap them for Swift. Negative window bits
// select raw deflate: no zlib header and no Adler-32, since every block is verified by SHA-256.
static inline int czlib_deflate_init_raw(z_stream *s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}
static inline int czlib_inflate_init_raw(z_stream *s) {
    return inflateInit2(s, -15);
}

// libdeflate (whole-buffer raw DEFLATE, several times faster than zlib, same format both ways)
// loaded at run time with dlopen, so that neither building nor running needs its -dev package:
// where libdeflate.so.0 is missing, or CAIRN_LIBDEFLATE=0 is set, these report it unavailable
// and the caller uses zlib. Thread-safe: loading happens once, and each thread keeps its own
// compressor per level and its own decompressor (libdeflate's objects are not shareable).

/// 1 when libdeflate was loaded, else 0.
int czlib_libdeflate_available(void);
/// Raw deflate of `in` at `level` (1…12) into at most `avail` bytes: the compressed size, or 0
/// when it does not fit (or libdeflate is unavailable).
size_t czlib_libdeflate_compress(int level, const void *in, size_t in_size, void *out, size_t avail);
/// Inflates raw deflate `in` into exactly `out_size` bytes: 0 on success, nonzero when the data
/// is damaged, inflates to another length, or libdeflate is unavailable.
int czlib_libdeflate_decompress(const void *in, size_t in_size, void *out, size_t out_size);

// zstd (libzstd.so.1), loaded at run time the same way; CAIRN_ZSTD=0 keeps it unloaded.

/// 1 when libzstd was loaded, else 0.
int czlib_zstd_available(void);
/// A zstd frame of `in` at `level` into at most `avail` bytes: its size, or 0 when it does not
/// fit (or zstd is unavailable).
size_t czlib_zstd_compress(int level, const void *in, size_t in_size, void *out, size_t avail);
/// Decompresses the zstd frame `in` into exactly `out_size` bytes: 0 on success, nonzero when
/// the data is damaged, comes to another length, or zstd is unavailable.
int czlib_zstd_decompress(const void *in, size_t in_size, void *out, size_t out_size);
#endif
