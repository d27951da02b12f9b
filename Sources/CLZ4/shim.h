#ifndef FLOTILLA_CLZ4_SHIM_H
#define FLOTILLA_CLZ4_SHIM_H

#include <lz4.h>
#include <string.h>

/// Copies a stream prepared by `LZ4_loadDict` into a working stream, the documented alternative
/// to `LZ4_attach_dictionary`, which the shared liblz4 does not export.
static inline void clz4_copy_stream(LZ4_stream_t *working, const LZ4_stream_t *prepared) {
    memcpy(working, prepared, sizeof(LZ4_stream_t));
}

#endif
