package io.fastalloc.internal;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolExhaustedException;

/**
 * What every pool kind's engine is: a {@link Pool} whose {@link #allocate()} is its
 * {@link #tryAllocate()} or, on {@code null}, a {@link PoolExhaustedException} with the engine's
 * own message. Written once here; the engines say only what exhaustion means for them.
 *
 * @param <T> the type of pooled object
 */
public interface Engine<T> extends Pool<T> {

    @Override
    default Handle<T> allocate() {
        Handle<T> handle = tryAllocate();
        if (handle == null) {
            throw new PoolExhaustedException(exhaustedMessage());
        }
        return handle;
    }

    /**
     * Called on the allocating thread after {@link #tryAllocate()} returned {@code null}.
     *
     * @return the message of the {@link PoolExhaustedException} that {@link #allocate()} throws
     */
    String exhaustedMessage();
}
