package io.fastalloc.testkit;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One cell of the matrix: a kind in a configuration. {@link #all()} is every present kind in every
 * configuration (the cheap checkers); {@link #distinctPaths()} keeps only the configurations that
 * change a kind's code (the costly ones).
 *
 * @param kind          the kind
 * @param configuration the configuration
 */
public record KindConfiguration(PoolKind kind, Configuration configuration) {

    /** @return every present kind in every configuration */
    public static List<KindConfiguration> all() {
        return select(k -> true, false);
    }

    /** @return every present kind in each configuration that changes its code */
    public static List<KindConfiguration> distinctPaths() {
        return select(k -> true, true);
    }

    /**
     * Returns the present kinds that pass {@code kinds}, each in every configuration, or only in
     * those that change its code.
     *
     * @param kinds         which kinds
     * @param distinctOnly  whether to keep only {@link Configuration#pathsOf} configurations
     * @return the cells
     */
    public static List<KindConfiguration> select(Predicate<PoolKind> kinds, boolean distinctOnly) {
        List<KindConfiguration> cells = new ArrayList<>();
        for (PoolKind k : PoolKind.present()) {
            if (!kinds.test(k)) {
                continue;
            }
            for (Configuration c : Configuration.values()) {
                if (!distinctOnly || Configuration.pathsOf(k).contains(c)) {
                    cells.add(new KindConfiguration(k, c));
                }
            }
        }
        return cells;
    }

    /**
     * Makes a pool of this kind in this configuration.
     *
     * @param capacity the capacity
     * @param factory  the factory
     * @param <T>      the type of pooled object
     * @return the pool
     */
    public <T> Pool<T> create(int capacity, Supplier<? extends T> factory) {
        return create(PoolConfig.<T>builder().capacity(capacity).factory(factory));
    }

    /**
     * Makes a pool of this kind in this configuration from a builder holding the rest.
     *
     * @param builder a builder with at least capacity and factory set
     * @param <T>     the type of pooled object
     * @return the pool
     */
    public <T> Pool<T> create(PoolConfig.Builder<T> builder) {
        return kind.create(configuration.apply(builder).build());
    }

    /**
     * As {@link #create(PoolConfig.Builder)}, with the reset function {@link Configuration#RESET} sets.
     *
     * @param builder a builder with at least capacity and factory set
     * @param reset   the reset function
     * @param <T>     the type of pooled object
     * @return the pool
     */
    public <T> Pool<T> create(PoolConfig.Builder<T> builder, Consumer<? super T> reset) {
        return kind.create(configuration.apply(builder, reset).build());
    }

    @Override
    public String toString() {
        return kind.kindName() + "/" + configuration;
    }
}
