/*
 * The word2vec kernel of word2vec.c built for a shared memory, so several threads (Node worker
 * threads, Web Workers) train on one set of vectors. A memory is shared or not by its type, and a
 * page that is not cross-origin isolated cannot create a shared one, so threads: 1 uses word2vec.c
 * as built without these flags.
 */
// clang: -Wl,-z,stack-size=0 -Wl,--initial-memory=65536 -matomics -mbulk-memory -Wl,--shared-memory -Wl,--max-memory=4294967296
#include "word2vec.c"
