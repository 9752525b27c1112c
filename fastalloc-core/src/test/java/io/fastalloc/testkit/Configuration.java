package io.fastalloc.testkit;

import io.fastalloc.InitializationStrategy;
import io.fastalloc.PoolConfig;

import java.util.EnumSet;
import java.util.Set;

/**
 * The configurations every checker runs each kind in. Each turns on one thing that changes the code
 * a pool runs; {@link #FAST_PATH} turns on nothing, and is the path users' benchmarks run and the one
 * most in need of checking (a reset function alone turns off the hot slot, the magazine hint, the
 * queue pools' simple path and the per-thread owner's plain close).
 *
 * <p>{@link #pathsOf(PoolKind)} says which of them run distinct code in a kind, so that the costly
 * checkers (jcstress, the soak, Lincheck) run each path once: {@link #VALIDATOR} runs the release
 * path of {@link #RESET} in every kind (user code between marking free and putting back), so it is
 * left to the contract and fault tests.
 */
public enum Configuration {
    /** Unchecked, no reset, no validator, EAGER, no recorder. */
    FAST_PATH,
    /** A reset function. */
    RESET,
    /** A validator that keeps every object (one that rejects is the fault tests' business). */
    VALIDATOR,
    /** LAZY initialisation: objects made on first use. */
    LAZY,
    /** Checked mode: a lease per allocation, leak tracking. */
    CHECKED,
    /** A recorder that hears every event, as statistics do. */
    STATISTICS;

    /**
     * Applies this configuration to a builder that holds the capacity and factory, over the fast
     * path's settings.
     *
     * @param builder  a builder with at least capacity and factory set
     * @param reset    the reset function {@link #RESET} sets
     * @param <T>      the type of pooled object
     * @return the builder
     */
    public <T> PoolConfig.Builder<T> apply(PoolConfig.Builder<T> builder, java.util.function.Consumer<? super T> reset) {
        builder.checked(this == CHECKED).initialization(this == LAZY ? InitializationStrategy.LAZY : InitializationStrategy.EAGER);
        switch (this) {
            case RESET:
                builder.reset(reset);
                break;
            case VALIDATOR:
                builder.validator(o -> true);
                break;
            case STATISTICS:
                builder.recorder(new CountingRecorder());
                break;
            default:
                break;
        }
        return builder;
    }

    /**
     * Applies this configuration with a reset function that does nothing.
     *
     * @param builder a builder with at least capacity and factory set
     * @param <T>     the type of pooled object
     * @return the builder
     */
    public <T> PoolConfig.Builder<T> apply(PoolConfig.Builder<T> builder) {
        return apply(builder, o -> { });
    }

    /**
     * Returns the configurations that run distinct code in {@code kind}.
     *
     * @param kind the kind
     * @return the configurations that run distinct code in {@code kind}
     */
    public static Set<Configuration> pathsOf(PoolKind kind) {
        return EnumSet.complementOf(EnumSet.of(VALIDATOR));
    }
}
