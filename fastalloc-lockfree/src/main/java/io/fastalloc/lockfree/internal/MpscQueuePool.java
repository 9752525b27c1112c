package io.fastalloc.lockfree.internal;

import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.MpscPool;

/**
 * What a {@link MpscPool} is at run time: a {@link QueuePool} in the {@link QueueRole#MPSC} role.
 *
 * @param <T> the type of pooled object
 */
public final class MpscQueuePool<T> extends QueuePool<T> implements MpscPool<T> {

    /**
     * @param config the config
     * @throws IllegalStateException naming the slot when the factory fails during eager creation
     */
    public MpscQueuePool(PoolConfig<T> config) {
        super(config, QueueRole.MPSC);
    }
}
