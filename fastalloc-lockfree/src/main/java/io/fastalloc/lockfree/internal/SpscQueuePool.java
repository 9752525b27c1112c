package io.fastalloc.lockfree.internal;

import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.SpscPool;

/**
 * What a {@link SpscPool} is at run time: a {@link QueuePool} in the {@link QueueRole#SPSC} role.
 *
 * @param <T> the type of pooled object
 */
public final class SpscQueuePool<T> extends QueuePool<T> implements SpscPool<T> {

    /**
     * @param config the config
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    public SpscQueuePool(PoolConfig<T> config) {
        super(config, QueueRole.SPSC);
    }
}
