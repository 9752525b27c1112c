package io.fastalloc.testkit;

import io.fastalloc.PoolRecorder;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A recorder that counts what it hears, from any thread: the {@link Configuration#STATISTICS}
 * configuration's recorder, which turns on every kind's recording path.
 */
public final class CountingRecorder implements PoolRecorder {
    /** Allocations heard. */
    public final AtomicLong allocations = new AtomicLong();
    /** Releases heard. */
    public final AtomicLong releases = new AtomicLong();
    /** Exhaustions heard. */
    public final AtomicLong exhaustions = new AtomicLong();

    @Override
    public void onAllocate() {
        allocations.incrementAndGet();
    }

    @Override
    public void onRelease() {
        releases.incrementAndGet();
    }

    @Override
    public void onExhausted() {
        exhaustions.incrementAndGet();
    }
}
