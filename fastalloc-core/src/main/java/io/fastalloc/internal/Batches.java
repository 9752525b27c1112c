package io.fastalloc.internal;

import io.fastalloc.Handle;
import io.fastalloc.Pool;

import java.util.Objects;

/**
 * The array form of {@code allocateBatch} for the kinds that take one object at a time, and what it
 * does when an allocation part-way through throws (a lazy factory failing): the call takes nothing,
 * so every handle it already wrote is closed again and its entry set back to {@code null}.
 */
public final class Batches {
    private Batches() {
    }

    /**
     * Fills {@code out} with up to {@code count} handles from {@code pool.tryAllocate()}, stopping at
     * the first {@code null}.
     *
     * @param pool   the pool, calling on its own behalf
     * @param out    the caller's array
     * @param offset where to write the first handle
     * @param count  the most handles to take
     * @param <T>    the type of pooled object
     * @return how many handles were written
     * @throws IndexOutOfBoundsException when the range is outside {@code out}; nothing was taken
     * @throws RuntimeException          what an allocation threw; nothing was taken
     */
    public static <T> int fill(Pool<T> pool, Handle<T>[] out, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, out.length);
        int n = 0;
        try {
            while (n < count) {
                Handle<T> h = pool.tryAllocate();
                if (h == null) {
                    break;
                }
                out[offset + n++] = h;
            }
        } catch (RuntimeException | Error e) { // a lazy factory failed: the call takes nothing
            giveBack(out, offset, n, e);
            throw e;
        }
        return n;
    }

    /**
     * Closes {@code out[offset, offset + n)} in reverse order (so a STACK pool's free set is as it
     * was) and nulls each entry. A close that throws (a failing reset function still puts its slot
     * back) is added to {@code cause} as suppressed, and the rest are closed all the same.
     *
     * @param out    the caller's array
     * @param offset the first entry this call wrote
     * @param n      how many entries it wrote
     * @param cause  the failure that stopped the batch; rethrown by the caller
     * @param <T>    the type of pooled object
     */
    public static <T> void giveBack(Handle<T>[] out, int offset, int n, Throwable cause) {
        for (int i = offset + n - 1; i >= offset; i--) {
            Handle<T> handle = out[i];
            out[i] = null;
            try {
                handle.close();
            } catch (RuntimeException | Error e) {
                cause.addSuppressed(e);
            }
        }
    }
}
