#ifndef FLOTILLA_CLZ4_SHIM_H
#define FLOTILLA_CLZ4_SHIM_H

#include <lz4.h>
#include <string.h>

/// Readies `working` to compress one block against the dictionary that `LZ4_loadDict` put in `prepared`.
///
/// From liblz4 1.9 this is `LZ4_resetStream_fast` plus what `LZ4_attach_dictionary` does: the working stream
/// refers to the prepared one in place instead of copying its 16 KiB hash table for every block. The shared
/// library does not export `LZ4_attach_dictionary` (it is static-linking-only), so its two assignments are made
/// here on the stream layout lz4.h publishes, which 1.9 and 1.10 share. Blocks of more than 4 KiB still get a
/// copy, inside liblz4, where that is faster. Older versions fall back to copying the prepared stream.
static inline void clz4_ready_stream(LZ4_stream_t *working, const LZ4_stream_t *prepared) {
#if LZ4_VERSION_NUMBER >= 10900 && LZ4_VERSION_NUMBER < 11100
    LZ4_resetStream_fast(working);
    const LZ4_stream_t_internal *dictionary = &prepared->internal_donotuse;
    LZ4_stream_t_internal *stream = &working->internal_donotuse;
    // A table entry of 0 reads as a miss, so a fresh stream starts one window in for the dictionary to be seen.
    if (stream->currentOffset == 0) {
        stream->currentOffset = 64 * 1024;
    }
    stream->dictCtx = dictionary->dictSize == 0 ? NULL : dictionary;
#else
    memcpy(working, prepared, sizeof(LZ4_stream_t));
#endif
}

#endif
