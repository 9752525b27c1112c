package io.fastalloc.internal;

import io.fastalloc.FixedPool;
import io.fastalloc.PoolConfig;

/**
 * What a {@link FixedPool} is at run time: a {@link ConfinedPool} that never grows.
 *
 * <p><b>Thread safety</b>: none, as {@link ConfinedPool}.
 *
 * @param <T> the type of pooled object
 */
public final class FixedPoolEngine<T> extends ConfinedPool<T> implements FixedPool<T> {

    /**
     * @param config the config; {@code maxCapacity} and the growth strategy are ignored
     */
    public FixedPoolEngine(PoolConfig<T> config) {
        super(config, "FixedPool", config.capacity());
    }
}
