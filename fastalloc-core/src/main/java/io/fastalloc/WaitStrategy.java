package io.fastalloc;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits in {@link Pool#allocate(long, java.util.concurrent.TimeUnit)} on a lock-free
 * pool between two attempts to take an object. Implementations must not allocate; the pool itself
 * checks the deadline and the interrupt flag around each call.
 */
@FunctionalInterface
public interface WaitStrategy {

    /**
     * Waits a little. Called after the {@code attempt}-th failed attempt (0 for the first).
     *
     * @param attempt how many attempts failed before this call, from 0
     */
    void idle(int attempt);

    /** {@return a strategy that spins with {@link Thread#onSpinWait()}: lowest latency, burns a core} */
    static WaitStrategy busySpin() {
        return attempt -> Thread.onSpinWait();
    }

    /** {@return a strategy that yields the processor between attempts} */
    static WaitStrategy yielding() {
        return attempt -> Thread.yield();
    }

    /**
     * Returns the default wait strategy: spin, then yield, then park for doubling intervals.
     *
     * @return spin 100 times, yield 100 times, then park for 1 &micro;s doubling up to 1 ms: the
     *         default, cheap on an idle machine and quick to react
     */
    static WaitStrategy parkingBackOff() {
        return ParkingBackOff.INSTANCE;
    }

    /** The default back-off; a named class so the instance is shared. */
    final class ParkingBackOff implements WaitStrategy {
        static final ParkingBackOff INSTANCE = new ParkingBackOff();
        private static final int SPINS = 100;
        private static final int YIELDS = 200;
        private static final long MIN_PARK_NANOS = 1_000L;
        private static final long MAX_PARK_NANOS = 1_000_000L;

        private ParkingBackOff() {
        }

        @Override
        public void idle(int attempt) {
            if (attempt < SPINS) {
                Thread.onSpinWait();
            } else if (attempt < YIELDS) {
                Thread.yield();
            } else {
                int shift = Math.min(attempt - YIELDS, 10);
                LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, MIN_PARK_NANOS << shift));
            }
        }
    }
}
