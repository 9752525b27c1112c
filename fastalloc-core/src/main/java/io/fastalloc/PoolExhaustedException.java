package io.fastalloc;

/**
 * Thrown by {@link Pool#allocate()} and friends when no object is free. Hot paths that expect
 * exhaustion should use {@link Pool#tryAllocate()}, which answers {@code null} instead.
 */
public final class PoolExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was exhausted, naming the pool
     */
    public PoolExhaustedException(String message) {
        super(message);
    }
}
