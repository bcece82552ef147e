#ifndef CZLIB_H
#define CZLIB_H
#include <zlib.h>

/// deflateInit and inflateInit are macros; these wrap them for Swift.
static inline int czlib_deflate_init(z_stream *s, int level) {
    return deflateInit(s, level);
}
static inline int czlib_inflate_init(z_stream *s) {
    return inflateInit(s);
}
#endif
