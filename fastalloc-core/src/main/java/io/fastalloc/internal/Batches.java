package io.fastalloc.internal;

import io.fastalloc.Handle;

/**
 * What the array form of {@code allocateBatch} does when an allocation part-way through throws (a
 * lazy factory failing): the call takes nothing, so every handle it already wrote is closed again
 * and its entry set back to {@code null}.
 */
public final class Batches {
    private Batches() {
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
