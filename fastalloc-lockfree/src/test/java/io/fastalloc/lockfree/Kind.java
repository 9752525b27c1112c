package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;

import java.util.function.Function;

/** The four queue pools, for tests parameterised over every kind, with their thread roles. */
enum Kind {
    MPMC(MpmcPool::create, false, false),
    SPSC(SpscPool::create, true, true),
    MPSC(MpscPool::create, true, false),
    SPMC(SpmcPool::create, false, true);

    private final Function<PoolConfig<Object>, Pool<Object>> factory;
    final boolean singleAllocator;
    final boolean singleReleaser;

    Kind(Function<PoolConfig<Object>, Pool<Object>> factory, boolean singleAllocator, boolean singleReleaser) {
        this.factory = factory;
        this.singleAllocator = singleAllocator;
        this.singleReleaser = singleReleaser;
    }

    @SuppressWarnings("unchecked")
    <T> Pool<T> create(PoolConfig<T> config) {
        return (Pool<T>) factory.apply((PoolConfig<Object>) (PoolConfig<?>) config);
    }
}
