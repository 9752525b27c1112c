package io.fastalloc.lockfree.internal;

import io.fastalloc.internal.Slot;
import org.jctools.queues.MessagePassingQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One stripe: the owner's stack of free slots. A JCTools consumer so a refill can
 * {@code drain} the depot straight into it without allocating.
 *
 * <p>Padded Disruptor-style: 128 bytes of longs before and after the hot fields, so two
 * magazines (and a magazine and any other object) never share a cache line or its prefetch pair.
 * The hierarchy, one class a file: {@link MagazinePadBefore}, {@link MagazineFields} (the fields),
 * {@link MagazinePadAfter}, then this class.
 *
 * <p><b>Thread safety</b>: only the owner touches {@code stack}, {@code size} and
 * {@code fastKey}, {@code seenEpoch} and {@code bypass}; {@code owner} is CAS-claimed.
 *
 * @param <T> the type of pooled object
 */
final class Magazine<T> extends MagazinePadAfter<T> implements MessagePassingQueue.Consumer<Slot<T>> {
    /**
     * Slack before and after each magazine's live entries, in references (128 bytes at least), so
     * two magazines' arrays never share a cache line with each other or with another object.
     */
    static final int ARRAY_PAD = 32;

    static final VarHandle OWNER;
    static final VarHandle SIZE;
    static final VarHandle HOT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OWNER = lookup.findVarHandle(MagazineFields.class, "owner", Thread.class);
            SIZE = lookup.findVarHandle(MagazineFields.class, "size", int.class);
            HOT = lookup.findVarHandle(MagazineFields.class, "hot", Slot.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Magazine(int magazineSize, MessagePassingQueue<Slot<T>> depot) {
        super(magazineSize, depot);
    }

    /** @return free slots in this magazine (the stack and the hot slot), read with getOpaque */
    int sizeOpaque() {
        return (int) SIZE.getOpaque(this) + (HOT.getOpaque(this) != null ? 1 : 0);
    }

    /** Called by the owner's refill: pushes one slot from the depot (room is guaranteed). */
    @Override
    public void accept(Slot<T> slot) {
        int n = size;
        stack[ARRAY_PAD + n] = slot;
        size = n + 1;
    }
}
