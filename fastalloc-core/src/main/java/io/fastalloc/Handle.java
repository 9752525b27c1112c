package io.fastalloc;

/**
 * One allocation from a {@link Pool}: the object, until the handle is closed.
 *
 * <p>In unchecked mode a pool makes one handle per slot, with the slot, so allocating and closing
 * allocate nothing. A second close while the slot is free is detected; a stale handle kept after
 * its slot was handed to someone else cannot be told apart from the new holder's in this mode.
 * In checked mode every allocation returns a fresh lease carrying the slot's generation, so use
 * after release and double release are always caught.
 *
 * @param <T> the type of pooled object
 */
public interface Handle<T> extends AutoCloseable {

    /**
     * Returns the pooled object.
     *
     * @return the pooled object
     * @throws IllegalStateException once the handle was released
     */
    T get();

    /**
     * Runs the pool's reset function on the object and returns it to the pool.
     *
     * @throws IllegalStateException when this allocation was already released
     */
    @Override
    void close();
}
