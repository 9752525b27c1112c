package io.fastalloc.lockfree.internal;

import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.MpmcPool;

/**
 * What a {@link MpmcPool} is at run time: a {@link QueuePool} in the {@link QueueRole#MPMC} role.
 *
 * @param <T> the type of pooled object
 */
public final class MpmcQueuePool<T> extends QueuePool<T> implements MpmcPool<T> {

    /**
     * @param config the config
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    public MpmcQueuePool(PoolConfig<T> config) {
        super(config, QueueRole.MPMC);
    }
}
