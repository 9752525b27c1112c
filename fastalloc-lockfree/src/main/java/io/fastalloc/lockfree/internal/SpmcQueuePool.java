package io.fastalloc.lockfree.internal;

import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.SpmcPool;

/**
 * What a {@link SpmcPool} is at run time: a {@link QueuePool} in the {@link QueueRole#SPMC} role.
 *
 * @param <T> the type of pooled object
 */
public final class SpmcQueuePool<T> extends QueuePool<T> implements SpmcPool<T> {

    /**
     * @param config the config
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    public SpmcQueuePool(PoolConfig<T> config) {
        super(config, QueueRole.SPMC);
    }
}
