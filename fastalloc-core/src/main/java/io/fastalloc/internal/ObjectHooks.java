package io.fastalloc.internal;

import io.fastalloc.PoolConfig;
import io.fastalloc.PoolRecorder;

import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The user's code a pool runs on its objects (the factory, the reset function, the validator) and
 * the one sequence every pool kind runs on release: reset, validate, discard the object if the
 * validator rejected it or either threw. What happens to the slot after that (put back on a free
 * set, a queue, a magazine, a return stack) is the engine's; it does it in a {@code finally}, so a
 * throwing reset or validator never loses a slot:
 *
 * <pre>{@code
 * try {
 *     hooks.recycleObject(slot);  // reset, validate; discard on rejection or throw
 * } finally {
 *     putBack(slot);              // the engine's own
 * }
 * }</pre>
 *
 * <p><b>Thread safety</b>: immutable; the user's functions run on the calling thread, which must
 * hold the slot (marked free by it, not yet put back).
 *
 * @param <T> the type of pooled object
 */
public final class ObjectHooks<T> {
    private final Supplier<? extends T> factory;
    private final Consumer<? super T> reset;
    private final Predicate<? super T> validator;
    private final PoolRecorder recorder;

    /**
     * @param config the config whose factory, reset function, validator and recorder to use
     */
    public ObjectHooks(PoolConfig<T> config) {
        this.factory = config.factory();
        this.reset = config.reset();
        this.validator = config.validator();
        this.recorder = config.recorder();
    }

    /**
     * @return a new object from the factory
     * @throws RuntimeException whatever the factory threw
     */
    public T make() {
        return factory.get();
    }

    /**
     * @return {@code true} when releasing runs user code (a reset function or a validator)
     */
    public boolean runsOnRelease() {
        return reset != null || validator != null;
    }

    /**
     * Runs the reset function and the validator on the object of a slot the caller holds, marked
     * free, and discards the object (the slot's object becomes {@code null}, to be made anew on its
     * next allocation; the recorder hears of it) when the validator rejects it or either throws. A
     * slot without an object is left as it is.
     *
     * @param slot the slot, marked free, not yet put back
     * @throws RuntimeException whatever the reset function or the validator threw (the object is
     *                          then discarded)
     */
    public void recycleObject(Slot<T> slot) {
        T object = slot.lpObject();
        if (object == null) {
            return;
        }
        boolean keep = false;
        try {
            if (reset != null) {
                reset.accept(object);
            }
            keep = validator == null || validator.test(object);
        } finally {
            if (!keep) {
                discard(slot);
            }
        }
    }

    /**
     * Drops a slot's object, to be made anew by the factory on its next allocation.
     *
     * @param slot the slot the caller holds
     */
    public void discard(Slot<T> slot) {
        slot.spObject(null);
        recorder.onDiscard();
    }
}
