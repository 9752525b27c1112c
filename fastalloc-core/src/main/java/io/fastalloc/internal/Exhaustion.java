package io.fastalloc.internal;

import io.fastalloc.Handle;
import io.fastalloc.PoolExhaustedException;

/**
 * What every engine's {@code allocate()} is: its {@code tryAllocate()} or, on {@code null}, a
 * {@link PoolExhaustedException} with the engine's own message. Each engine writes it as
 *
 * <pre>{@code
 * Handle<T> handle = tryAllocate();
 * return handle != null ? handle : Exhaustion.raise(exhaustedMessage());
 * }</pre>
 *
 * <p>in a method of its own rather than inheriting one: a shared default method is one compiled
 * method for every engine, whose {@code tryAllocate()} call sees every engine class once several
 * kinds run in one JVM, and an extra interface on an engine lengthens the interface lookup of a
 * call through {@code Pool}; both cost time where several kinds share call sites
 * ({@code MixedCallSiteBenchmark}, docs/architecture.md).
 */
public final class Exhaustion {
    private Exhaustion() {
    }

    /**
     * @param message the engine's exhaustion message, made only now that the pool is exhausted
     * @param <T>     the type of pooled object
     * @return never
     * @throws PoolExhaustedException always
     */
    public static <T> Handle<T> raise(String message) {
        throw new PoolExhaustedException(message);
    }
}
