package io.fastalloc.internal;

/** The wording of fastalloc's errors, in one place. */
public final class Messages {
    private Messages() {
    }

    /**
     * @param home the pool
     * @return {@code "FixedPool 'orders': "}
     */
    public static String prefix(SlotHome<?> home) {
        return home.kind() + " '" + home.poolName() + "': ";
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
        return prefix(home) + "the pool is closed";
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
