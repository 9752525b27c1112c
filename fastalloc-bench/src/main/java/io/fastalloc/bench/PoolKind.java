package io.fastalloc.bench;

import io.fastalloc.FixedPool;
import io.fastalloc.GrowingPool;
import io.fastalloc.ThreadLocalPool;
import io.fastalloc.ThreadSafePool;
import io.fastalloc.lockfree.CachingPool;
import io.fastalloc.lockfree.MpmcPool;
import io.fastalloc.lockfree.MpscPool;
import io.fastalloc.lockfree.SpmcPool;
import io.fastalloc.lockfree.SpscPool;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;

/**
 * The fastalloc pool kinds the benchmarks know, by the name used in {@code @Param} lists.
 *
 * <p><b>Adding a pool kind</b> is one constant here (its {@code @Param} name, whether it is confined to
 * one thread, and how to create it) plus its name in the {@code @Param} lists of the benchmarks that
 * should measure it ({@link PeersBenchmark}, {@link LatencyBenchmark}, the scenarios).
 * {@link MemoryOverhead} measures every constant. Expected after the merge, for example:
 * <pre>{@code
 * THREAD_SAFE_POOL("threadSafePool", false) { ... ThreadSafePool.create(config) ... },
 * THREAD_LOCAL_POOL("threadLocalPool", false) { ... },
 * MPMC_POOL("mpmcPool", false) { ... MpmcPool.create(config) ... },
 * SPSC_POOL("spscPool", true) { ... },   // allocate and close on one thread: per thread
 * CACHING_POOL("cachingPool", false) { ... },
 * }</pre>
 */
public enum PoolKind {
    /** {@link FixedPool}: single-threaded, so each benchmark thread gets its own. */
    FIXED_POOL("fixedPool", true) {
        @Override
        public <T> Pool<T> create(PoolConfig<T> config) {
            return FixedPool.create(config);
        }
    },
    /** {@link GrowingPool}: single-threaded, so each benchmark thread gets its own. */
    GROWING_POOL("growingPool", true) {
        @Override
        public <T> Pool<T> create(PoolConfig<T> config) {
            return GrowingPool.create(config);
        }
    },
    /** {@link ThreadSafePool}: one lock, shared by every benchmark thread. */
    THREAD_SAFE_POOL("threadSafePool", false) {
        @Override
        public <T> Pool<T> create(PoolConfig<T> config) {
            return ThreadSafePool.create(config);
        }
    },
    /** {@link ThreadLocalPool}: one pool shared by every thread, a part of {@code capacity} per thread. */
    THREAD_LOCAL_POOL("threadLocalPool", false) {
        @Override
        public <T> Pool<T> create(PoolConfig<T> config) {
            return ThreadLocalPool.create(config);
        }
    },
    /** {@link MpmcPool}: one lock-free pool shared by every thread. */
    MPMC_POOL("mpmcPool", false) {
        @Override
        public <T> Pool<T> create(PoolConfig<T> config) {
            return MpmcPool.create(config);
        }
    },
    /** {@link SpscPool}: allocate and close on the same thread, so one per benchmark thread. */
    SPSC_POOL("spscPool", true) {
        @Override
        public <T> Pool<T> create(PoolConfig<T> config) {
            return SpscPool.create(config);
        }
    },
    /** {@link MpscPool}: one allocating thread, so one per benchmark thread. */
    MPSC_POOL("mpscPool", true) {
        @Override
        public <T> Pool<T> create(PoolConfig<T> config) {
            return MpscPool.create(config);
        }
    },
    /** {@link SpmcPool}: one releasing thread, so one per benchmark thread. */
    SPMC_POOL("spmcPool", true) {
        @Override
        public <T> Pool<T> create(PoolConfig<T> config) {
            return SpmcPool.create(config);
        }
    },
    /** {@link CachingPool}: one pool shared by every thread, per-thread magazines over a depot. */
    CACHING_POOL("cachingPool", false) {
        @Override
        public <T> Pool<T> create(PoolConfig<T> config) {
            return CachingPool.create(config);
        }
    };

    private final String paramName;
    private final boolean perThread;

    PoolKind(String paramName, boolean perThread) {
        this.paramName = paramName;
        this.perThread = perThread;
    }

    /**
     * @param config the pool's config
     * @param <T>    the type of pooled object
     * @return a new pool of this kind
     */
    public abstract <T> Pool<T> create(PoolConfig<T> config);

    /** @return the name used in {@code @Param} lists and in the report */
    public String paramName() {
        return paramName;
    }

    /**
     * @return {@code true} when the kind may be used by one thread only, so that a benchmark with
     *         several threads gives each thread its own pool; {@code false} for shared kinds
     */
    public boolean perThread() {
        return perThread;
    }

    /**
     * @param name a {@code @Param} name
     * @return the kind of that name, or {@code null} when no pool kind has it (a floor or a peer)
     */
    public static PoolKind byName(String name) {
        for (PoolKind kind : values()) {
            if (kind.paramName.equals(name)) {
                return kind;
            }
        }
        return null;
    }
}
