package io.fastalloc.internal;

import io.fastalloc.GrowingPool;
import io.fastalloc.PoolConfig;

/**
 * What a {@link GrowingPool} is at run time: a {@link ConfinedPool} that grows up to the config's
 * {@code maxCapacity} and can be trimmed.
 *
 * <p><b>Thread safety</b>: none, as {@link ConfinedPool}.
 *
 * @param <T> the type of pooled object
 */
public final class GrowingPoolEngine<T> extends ConfinedPool<T> implements GrowingPool<T> {

    /**
     * @param config the config
     */
    public GrowingPoolEngine(PoolConfig<T> config) {
        super(config, "GrowingPool", config.maxCapacity());
    }

    @Override
    public int trim() {
        return super.trim();
    }
}
