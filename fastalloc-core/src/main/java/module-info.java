/**
 * fastalloc's API and its dependency-free pools.
 *
 * <p>{@code io.fastalloc} is the public API. {@code io.fastalloc.internal} holds the slot machinery
 * that the pool kinds share; it is exported only to fastalloc's own modules.
 */
module io.fastalloc.core {
    exports io.fastalloc;
    exports io.fastalloc.internal to io.fastalloc.lockfree, io.fastalloc.stats;
}
