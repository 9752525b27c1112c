package io.fastalloc;

/**
 * Told about leaks in checked mode: a lease that became unreachable without being closed. The pool
 * recovers the slot (its object is discarded and made anew on next use): a thread-safe pool at once,
 * a single-threaded pool the next time it allocates. The slot is recovered (or queued for its pool's
 * next allocation) before the listener is called, so a listener that has been told can rely on it.
 *
 * <p>Called on the JDK's cleaner thread: implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface LeakListener {

    /**
     * Called for a lease that became unreachable without being closed.
     *
     * @param poolName       the pool's name
     * @param kind           the pool kind, such as {@code "FixedPool"}
     * @param slot           the leaked slot's index
     * @param allocationSite a throwable whose stack trace is where the lease was allocated
     */
    void onLeak(String poolName, String kind, int slot, Throwable allocationSite);

    /** {@return the default: a {@link System.Logger} warning, with the allocation stack} */
    static LeakListener logging() {
        return LoggingLeakListener.INSTANCE;
    }

    /** The default listener. */
    final class LoggingLeakListener implements LeakListener {
        static final LoggingLeakListener INSTANCE = new LoggingLeakListener();
        private static final System.Logger LOGGER = System.getLogger("io.fastalloc.leaks");

        private LoggingLeakListener() {
        }

        @Override
        public void onLeak(String poolName, String kind, int slot, Throwable allocationSite) {
            LOGGER.log(System.Logger.Level.WARNING, kind + " '" + poolName + "': leak: slot " + slot
                    + " was never closed; its lease became unreachable. Allocated at:", allocationSite);
        }
    }
}
