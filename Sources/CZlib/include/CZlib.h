#ifndef CZLIB_H
#define CZLIB_H
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros; these wrap them for Swift. Negative window bits
// select raw deflate: no zlib header and no Adler-32, since every block is verified by SHA-256.
static inline int czlib_deflate_init_raw(z_stream *s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}
static inline int czlib_inflate_init_raw(z_stream *s) {
    return inflateInit2(s, -15);
}
#endif
