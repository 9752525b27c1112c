package io.fastalloc.stats;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.MpmcPool;
import io.fastalloc.testkit.PoolKind;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A pool kind from the registry ({@link PoolKind}) with how statistics attach to it: the recorder
 * flavour it takes (single-writer for the confined kinds and for ThreadSafePool, every recorder call
 * being under its lock; the concurrent one for every kind whose threads call the recorder without a
 * common lock), what it records of growth, and how many threads the statistics tests may give each
 * role. The kinds themselves, their thread roles included, come from the registry.
 *
 * @param kind the registry's kind
 */
record StatsPoolKind(PoolKind kind) {

    /** The kinds that grow past their initial capacity, up to {@code maxCapacity}, and trim back. */
    private static final Set<PoolKind> GROWING = EnumSet.of(PoolKind.GROWING, PoolKind.THREAD_SAFE);

    /** @return every kind on the class path, in the registry's order */
    static List<StatsPoolKind> values() {
        List<StatsPoolKind> kinds = new ArrayList<>();
        for (PoolKind k : PoolKind.present()) {
            kinds.add(new StatsPoolKind(k));
        }
        return kinds;
    }

    /** @return the simple name the statistics report as the kind */
    String kindName() {
        return kind.kindName();
    }

    /** @return whether more than one thread may use the pool */
    boolean shared() {
        return kind.threadSafe;
    }

    /** @return whether the kind grows past its initial capacity (and can be trimmed back) */
    boolean grows() {
        return GROWING.contains(kind);
    }

    /** @return whether the kind is one of {@code fastalloc-lockfree}'s */
    boolean lockFree() {
        return kind.className.startsWith(MpmcPool.class.getPackageName() + ".");
    }

    <T> Pool<T> create(PoolConfig<T> config) {
        return kind.create(config);
    }

    /** @return how many growths the kind records when one thread starts using it */
    long growthsOnFirstUse() {
        return kind == PoolKind.THREAD_LOCAL ? 1 : 0; // a thread's first allocation gives it a part
    }

    /** @return how many threads may allocate at once in the hand-over test (1 for single-consumer kinds) */
    int allocatingThreads() {
        return kind.singleAllocator ? 1 : 2;
    }

    /** @return how many threads may close at once in the hand-over test (1 for single-producer kinds) */
    int closingThreads() {
        return kind.singleReleaser ? 1 : 2;
    }

    /** @return whether any thread may both allocate and close */
    boolean anyThreadAnyRole() {
        return kind.anyThread();
    }

    /** @return whether the kind's threads call the recorder at the same time (so it takes the concurrent one) */
    boolean concurrentRecorder() {
        return kind.threadSafe && kind != PoolKind.THREAD_SAFE; // ThreadSafePool records under its lock
    }

    /** @return the recorder this kind must be given */
    PoolStats recorder(StatsRegistry registry) {
        return concurrentRecorder() ? registry.concurrentRecorder() : registry.recorder();
    }

    @Override
    public String toString() {
        return kind.kindName();
    }
}
