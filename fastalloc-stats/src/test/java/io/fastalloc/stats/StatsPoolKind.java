package io.fastalloc.stats;

import io.fastalloc.FixedPool;
import io.fastalloc.GrowingPool;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.ThreadLocalPool;
import io.fastalloc.ThreadSafePool;
import io.fastalloc.lockfree.CachingPool;
import io.fastalloc.lockfree.MpmcPool;
import io.fastalloc.lockfree.MpscPool;
import io.fastalloc.lockfree.SpmcPool;
import io.fastalloc.lockfree.SpscPool;

/**
 * Every pool kind, with the recorder flavour it takes: single-writer for the confined kinds and for
 * ThreadSafePool (every recorder call under its lock), the concurrent one for every kind whose threads
 * call the recorder without a common lock.
 */
enum StatsPoolKind {
    FIXED_POOL("FixedPool", false, false) {
        @Override
        <T> Pool<T> create(PoolConfig<T> config) {
            return FixedPool.create(config);
        }
    },
    GROWING_POOL("GrowingPool", false, true) {
        @Override
        <T> Pool<T> create(PoolConfig<T> config) {
            return GrowingPool.create(config);
        }
    },
    THREAD_SAFE_POOL("ThreadSafePool", true, true) {
        @Override
        <T> Pool<T> create(PoolConfig<T> config) {
            return ThreadSafePool.create(config);
        }

        @Override
        boolean concurrentRecorder() {
            return false; // every recorder call is made under the pool's lock
        }
    },
    THREAD_LOCAL_POOL("ThreadLocalPool", true, false) {
        @Override
        <T> Pool<T> create(PoolConfig<T> config) {
            return ThreadLocalPool.create(config);
        }

        @Override
        long growthsOnFirstUse() {
            return 1; // a thread's first allocation gives it a part: capacity 0 -> capacity
        }
    },
    MPMC_POOL("MpmcPool", true, false) {
        @Override
        <T> Pool<T> create(PoolConfig<T> config) {
            return MpmcPool.create(config);
        }
    },
    /** One allocating thread, one closing thread (may be the same). */
    SPSC_POOL("SpscPool", true, false) {
        @Override
        <T> Pool<T> create(PoolConfig<T> config) {
            return SpscPool.create(config);
        }

        @Override
        int allocatingThreads() {
            return 1;
        }

        @Override
        int closingThreads() {
            return 1;
        }

        @Override
        boolean anyThreadAnyRole() {
            return false;
        }
    },
    /** One allocating thread, any closing threads. */
    MPSC_POOL("MpscPool", true, false) {
        @Override
        <T> Pool<T> create(PoolConfig<T> config) {
            return MpscPool.create(config);
        }

        @Override
        int allocatingThreads() {
            return 1;
        }

        @Override
        boolean anyThreadAnyRole() {
            return false;
        }
    },
    /** Any allocating threads, one closing thread. */
    SPMC_POOL("SpmcPool", true, false) {
        @Override
        <T> Pool<T> create(PoolConfig<T> config) {
            return SpmcPool.create(config);
        }

        @Override
        int closingThreads() {
            return 1;
        }

        @Override
        boolean anyThreadAnyRole() {
            return false;
        }
    },
    CACHING_POOL("CachingPool", true, false) {
        @Override
        <T> Pool<T> create(PoolConfig<T> config) {
            return CachingPool.create(config);
        }
    };

    final String kindName;
    final boolean shared;
    final boolean grows;

    StatsPoolKind(String kindName, boolean shared, boolean grows) {
        this.kindName = kindName;
        this.shared = shared;
        this.grows = grows;
    }

    abstract <T> Pool<T> create(PoolConfig<T> config);

    /** @return how many growths the kind records when one thread starts using it */
    long growthsOnFirstUse() {
        return 0;
    }

    /** @return how many threads may allocate at once in the hand-over test (1 for single-consumer kinds) */
    int allocatingThreads() {
        return 2;
    }

    /** @return how many threads may close at once in the hand-over test (1 for single-producer kinds) */
    int closingThreads() {
        return 2;
    }

    /** @return whether any thread may both allocate and close */
    boolean anyThreadAnyRole() {
        return shared;
    }

    /** @return whether the kind's threads call the recorder at the same time (so it takes the concurrent one) */
    boolean concurrentRecorder() {
        return shared;
    }

    /** @return the recorder this kind must be given */
    PoolStats recorder(StatsRegistry registry) {
        return concurrentRecorder() ? registry.concurrentRecorder() : registry.recorder();
    }
}
