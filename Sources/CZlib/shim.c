#include "CZlib.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

// The few libdeflate 1.x entry points used, declared here (its header is in libdeflate-dev,
// which a machine that only runs Cairn need not have). Their ABI has been stable since 1.0.
typedef void *(*alloc_compressor_fn)(int level);
typedef size_t (*deflate_compress_fn)(void *compressor, const void *in, size_t in_size, void *out, size_t avail);
typedef void *(*alloc_decompressor_fn)(void);
typedef int (*deflate_decompress_fn)(void *decompressor, const void *in, size_t in_size, void *out, size_t avail,
                                     size_t *actual_out);
typedef void (*free_fn)(void *object);

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static alloc_compressor_fn alloc_compressor;
static deflate_compress_fn deflate_compress;
static alloc_decompressor_fn alloc_decompressor;
static deflate_decompress_fn deflate_decompress;
static free_fn free_compressor;
static free_fn free_decompressor;

// Each thread's compressors (one per level) and decompressor, kept for the thread's life and
// freed when it exits (libdeflate's objects must not be shared between threads at once).
struct per_thread {
    void *compressors[13];
    void *decompressor;
};
static pthread_key_t per_thread_key;

static void free_per_thread(void *value) {
    struct per_thread *objects = value;
    for (int level = 0; level < 13; level++) {
        if (objects->compressors[level]) free_compressor(objects->compressors[level]);
    }
    if (objects->decompressor) free_decompressor(objects->decompressor);
    free(objects);
}

static struct per_thread *this_thread(void) {
    struct per_thread *objects = pthread_getspecific(per_thread_key);
    if (!objects) {
        objects = calloc(1, sizeof *objects);
        if (objects && pthread_setspecific(per_thread_key, objects) != 0) { free(objects); objects = NULL; }
    }
    return objects;
}

static void load(void) {
    const char *setting = getenv("CAIRN_LIBDEFLATE");
    if (setting && strcmp(setting, "0") == 0) return;
    void *library = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    alloc_compressor_fn ac = (alloc_compressor_fn)dlsym(library, "libdeflate_alloc_compressor");
    deflate_compress_fn dc = (deflate_compress_fn)dlsym(library, "libdeflate_deflate_compress");
    alloc_decompressor_fn ad = (alloc_decompressor_fn)dlsym(library, "libdeflate_alloc_decompressor");
    deflate_decompress_fn dd = (deflate_decompress_fn)dlsym(library, "libdeflate_deflate_decompress");
    free_fn fc = (free_fn)dlsym(library, "libdeflate_free_compressor");
    free_fn fd = (free_fn)dlsym(library, "libdeflate_free_decompressor");
    if (!ac || !dc || !ad || !dd || !fc || !fd || pthread_key_create(&per_thread_key, free_per_thread) != 0) {
        dlclose(library);
        return;
    }
    // Published only once all four are found; pthread_once orders this before every reader.
    alloc_compressor = ac;
    deflate_compress = dc;
    alloc_decompressor = ad;
    deflate_decompress = dd;
    free_compressor = fc;
    free_decompressor = fd;
}

int czlib_libdeflate_available(void) {
    pthread_once(&load_once, load);
    return deflate_compress != NULL;
}

size_t czlib_libdeflate_compress(int level, const void *in, size_t in_size, void *out, size_t avail) {
    if (!czlib_libdeflate_available() || level < 1 || level > 12) return 0;
    struct per_thread *objects = this_thread();
    if (!objects) return 0;
    if (!objects->compressors[level]) objects->compressors[level] = alloc_compressor(level);
    if (!objects->compressors[level]) return 0;
    return deflate_compress(objects->compressors[level], in, in_size, out, avail);
}

int czlib_libdeflate_decompress(const void *in, size_t in_size, void *out, size_t out_size) {
    if (!czlib_libdeflate_available()) return -1;
    struct per_thread *objects = this_thread();
    if (!objects) return -1;
    if (!objects->decompressor) objects->decompressor = alloc_decompressor();
    if (!objects->decompressor) return -1;
    // A NULL actual-size pointer asks for exactly out_size bytes (else LIBDEFLATE_SHORT_OUTPUT).
    return deflate_decompress(objects->decompressor, in, in_size, out, out_size, NULL);
}

// zstd (libzstd.so.1, Debian's libzstd1), loaded the same way: the few 1.x entry points used,
// declared here, stable since 1.0. Each thread keeps one compression and one decompression
// context (zstd's contexts are not shareable either).
typedef void *(*zstd_create_fn)(void);
typedef size_t (*zstd_free_fn)(void *context);
typedef size_t (*zstd_compress_fn)(void *cctx, void *dst, size_t capacity, const void *src, size_t size, int level);
typedef size_t (*zstd_decompress_fn)(void *dctx, void *dst, size_t capacity, const void *src, size_t size);
typedef unsigned (*zstd_is_error_fn)(size_t code);

static pthread_once_t zstd_once = PTHREAD_ONCE_INIT;
static zstd_create_fn zstd_create_cctx;
static zstd_create_fn zstd_create_dctx;
static zstd_free_fn zstd_free_cctx;
static zstd_free_fn zstd_free_dctx;
static zstd_compress_fn zstd_compress;
static zstd_decompress_fn zstd_decompress;
static zstd_is_error_fn zstd_is_error;

struct zstd_per_thread {
    void *cctx;
    void *dctx;
};
static pthread_key_t zstd_key;

static void zstd_free_per_thread(void *value) {
    struct zstd_per_thread *contexts = value;
    if (contexts->cctx) zstd_free_cctx(contexts->cctx);
    if (contexts->dctx) zstd_free_dctx(contexts->dctx);
    free(contexts);
}

static struct zstd_per_thread *zstd_this_thread(void) {
    struct zstd_per_thread *contexts = pthread_getspecific(zstd_key);
    if (!contexts) {
        contexts = calloc(1, sizeof *contexts);
        if (contexts && pthread_setspecific(zstd_key, contexts) != 0) { free(contexts); contexts = NULL; }
    }
    return contexts;
}

static void zstd_load(void) {
    const char *setting = getenv("CAIRN_ZSTD");
    if (setting && strcmp(setting, "0") == 0) return;
    void *library = dlopen("libzstd.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    zstd_create_fn cc = (zstd_create_fn)dlsym(library, "ZSTD_createCCtx");
    zstd_create_fn cd = (zstd_create_fn)dlsym(library, "ZSTD_createDCtx");
    zstd_free_fn fc = (zstd_free_fn)dlsym(library, "ZSTD_freeCCtx");
    zstd_free_fn fd = (zstd_free_fn)dlsym(library, "ZSTD_freeDCtx");
    zstd_compress_fn c = (zstd_compress_fn)dlsym(library, "ZSTD_compressCCtx");
    zstd_decompress_fn d = (zstd_decompress_fn)dlsym(library, "ZSTD_decompressDCtx");
    zstd_is_error_fn e = (zstd_is_error_fn)dlsym(library, "ZSTD_isError");
    if (!cc || !cd || !fc || !fd || !c || !d || !e || pthread_key_create(&zstd_key, zstd_free_per_thread) != 0) {
        dlclose(library);
        return;
    }
    zstd_create_cctx = cc;
    zstd_create_dctx = cd;
    zstd_free_cctx = fc;
    zstd_free_dctx = fd;
    zstd_decompress = d;
    zstd_is_error = e;
    zstd_compress = c;
}

int czlib_zstd_available(void) {
    pthread_once(&zstd_once, zstd_load);
    return zstd_compress != NULL;
}

size_t czlib_zstd_compress(int level, const void *in, size_t in_size, void *out, size_t avail) {
    if (!czlib_zstd_available()) return 0;
    struct zstd_per_thread *contexts = zstd_this_thread();
    if (!contexts) return 0;
    if (!contexts->cctx) contexts->cctx = zstd_create_cctx();
    if (!contexts->cctx) return 0;
    size_t size = zstd_compress(contexts->cctx, out, avail, in, in_size, level);
    return zstd_is_error(size) ? 0 : size;
}

int czlib_zstd_decompress(const void *in, size_t in_size, void *out, size_t out_size) {
    if (!czlib_zstd_available()) return -1;
    struct zstd_per_thread *contexts = zstd_this_thread();
    if (!contexts) return -1;
    if (!contexts->dctx) contexts->dctx = zstd_create_dctx();
    if (!contexts->dctx) return -1;
    size_t size = zstd_decompress(contexts->dctx, out, out_size, in, in_size);
    return !zstd_is_error(size) && size == out_size ? 0 : -1;
}
