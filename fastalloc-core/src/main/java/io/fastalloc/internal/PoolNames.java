package io.fastalloc.internal;

import io.fastalloc.PoolConfig;

import java.util.concurrent.atomic.AtomicInteger;

/** Names for pools whose config gives none: {@code FixedPool-1}, {@code MpmcPool-2}, ... */
public final class PoolNames {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private PoolNames() {
    }

    /**
     * @param config the config
     * @param kind   the pool kind
     * @return the config's name, or a fresh one
     */
    public static String nameOf(PoolConfig<?> config, String kind) {
        String name = config.name();
        return name != null ? name : kind + "-" + SEQUENCE.incrementAndGet();
    }
}
