package io.fastalloc.internal;

import java.util.concurrent.TimeUnit;

/** The wording of fastalloc's errors, in one place. */
public final class Messages {
    private Messages() {
    }

    /**
     * @param home the pool
     * @return {@code "FixedPool 'orders': "}
     */
    public static String prefix(SlotHome<?> home) {
        return prefix(home.kind(), home.poolName());
    }

    /**
     * @param kind the pool kind's name
     * @param name the pool's name
     * @return {@code "FixedPool 'orders': "}
     */
    public static String prefix(String kind, String name) {
        return kind + " '" + name + "': ";
    }

    /**
     * @param lease     the stale lease
     * @param slotState the slot's state now
     * @return the message for a use after release
     */
    public static String useAfterRelease(Lease<?> lease, int slotState) {
        return prefix(lease.slot.home) + "use after release of slot " + lease.slot.index + ": lease generation "
                + (lease.state >>> 1) + ", slot now at generation " + (slotState >>> 1)
                + ((slotState & 1) != 0 ? " (held by another lease)" : " (free)");
    }

    /**
     * @param lease     the lease closed twice
     * @param slotState the slot's state now
     * @return the message for a double release
     */
    public static String doubleRelease(Lease<?> lease, int slotState) {
        return prefix(lease.slot.home) + "double release of slot " + lease.slot.index + ": lease generation "
                + (lease.state >>> 1) + " was already released, slot now at generation " + (slotState >>> 1)
                + ((slotState & 1) != 0 ? " (held by another lease)" : " (free)");
    }

    /**
     * @param slot the slot closed while free
     * @return the message for an unchecked double release
     */
    public static String doubleRelease(Slot<?> slot) {
        return prefix(slot.home) + "double release of slot " + slot.index + ": the slot is already free";
    }

    /**
     * @param home the pool
     * @return the message for allocation from a closed pool
     */
    public static String closed(SlotHome<?> home) {
        return closed(prefix(home));
    }

    /**
     * @param prefix the pool's {@link #prefix}
     * @return the message for an allocation refused because the pool is closed
     */
    public static String closed(String prefix) {
        return prefix + "the pool is closed";
    }

    /**
     * @param prefix the pool's {@link #prefix}
     * @param before {@code true} when the interrupt was pending on entry, {@code false} when it came
     *               while the allocation waited
     * @return the message of the {@link InterruptedException} a timed allocation throws
     */
    public static String interrupted(String prefix, boolean before) {
        return prefix + (before ? "interrupted before allocating" : "interrupted while waiting for an object");
    }

    /**
     * @param home     the pool
     * @param capacity its capacity
     * @return the message for exhaustion
     */
    public static String exhausted(SlotHome<?> home, int capacity) {
        return prefix(home) + "exhausted: all " + capacity + " objects are in use";
    }

    /**
     * @param exhausted the pool's exhaustion message
     * @param timeout   how long the allocation waited
     * @param unit      the unit of {@code timeout}
     * @return the message for a timed allocation that found no object in time
     */
    public static String noneReleasedWithin(String exhausted, long timeout, TimeUnit unit) {
        return exhausted + "; none was released within " + timeout + ' ' + unit;
    }

    /**
     * @param home     the pool
     * @param count    the objects asked for
     * @param free     the objects that could be had
     * @param capacity the objects the pool (or the caller's part of it) holds
     * @return the message for an all-or-nothing batch that found too few objects
     */
    public static String batchShort(SlotHome<?> home, int count, int free, int capacity) {
        return prefix(home) + "cannot take " + count + " objects at once: " + free + " free of " + capacity;
    }

    /**
     * @param home   the pool
     * @param action what the role does, such as {@code "allocating"}
     * @param first  the thread that has the role
     * @param other  the thread that acted in it too
     * @return the message for a second thread in a one-thread role
     */
    public static String wrongRole(SlotHome<?> home, String action, Thread first, Thread other) {
        return prefix(home) + action + " on thread '" + other.getName() + "' (id " + other.getId()
                + "), but this pool allows only one " + action + " thread and that is '" + first.getName()
                + "' (id " + first.getId() + ")";
    }

    /**
     * @param home  the pool
     * @param owner the thread the pool is confined to
     * @param other the thread that touched it
     * @return the message for a single-threaded pool used by a second thread
     */
    public static String wrongThread(SlotHome<?> home, Thread owner, Thread other) {
        return prefix(home) + "single-threaded pool used by thread '" + other.getName() + "' (id " + other.getId()
                + ") but it belongs to thread '" + owner.getName() + "' (id " + owner.getId() + ")";
    }

    /**
     * @param home  the pool
     * @param index the slot whose object could not be made
     * @param capacity the pool's capacity
     * @return the message for a failing factory during eager creation
     */
    public static String factoryFailed(SlotHome<?> home, int index, int capacity) {
        return prefix(home) + "factory failed for slot " + index + " of " + capacity;
    }
}
