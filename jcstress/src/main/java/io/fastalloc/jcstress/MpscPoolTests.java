package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests of {@code MpscPool}: many threads release, one allocates. Ownership (two allocators) does not apply:
 * one thread allocates by contract.
 *
 * <p>Each test runs in the registry's {@code RESET} configuration and, as {@code FastPath*}, in
 * {@code FAST_PATH} (see {@link Stress}): there allocate and close take the queue pool's simple path
 * ({@code tryAllocateSimple}, the simple release), which a reset function turns off.
 */
public final class MpscPoolTests {
    private MpscPoolTests() {
    }

    /** The registry's {@code RESET} configuration: the tests without a prefix. */
    static Pool<Box> pool(int capacity) {
        return Stress.pool(PoolKind.MPSC, Configuration.RESET, capacity);
    }

    /** The registry's {@code FAST_PATH} configuration: the {@code FastPath*} tests. */
    static Pool<Box> fastPool(int capacity) {
        return Stress.pool(PoolKind.MPSC, Configuration.FAST_PATH, capacity);
    }

    /**
     * Visibility on hand-off: what the holder wrote before close (payload 4) and the reset
     * function's effect (resets 1) are seen by the thread that allocates the object next.
     */
    @JCStressTest
    @Outcome(id = "1, 41", expect = ACCEPTABLE, desc = "the next holder saw the payload and the reset")
    @Outcome(id = "1, -1", expect = ACCEPTABLE, desc = "actor2 tried before the release")
    @Outcome(id = {"1, 40", "1, 1", "1, 0"}, expect = FORBIDDEN, desc = "a write before close was not seen")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class HandOffVisibility {
        final Pool<Box> pool = pool(1);
        final Handle<Box> handle = pool.allocate();

        @Actor
        public void releaser(II_Result r) {
            handle.get().payload = 4;
            r.r1 = Stress.close(handle);
        }

        @Actor
        public void allocator(II_Result r) {
            r.r2 = Stress.observe(pool);
        }
    }

    /**
     * Conservation with one releasing and one allocating thread: after a release racing an
     * allocation, and the allocation's release, every object is back.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "both objects are back")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, duplicated or refused")
    @State
    public static class RoleConservation {
        final Pool<Box> pool = pool(2);
        final Handle<Box> held = pool.allocate();
        Handle<Box> taken;

        @Actor
        public void releaser(III_Result r) {
            r.r1 = Stress.close(held);
        }

        @Actor
        public void allocator(III_Result r) {
            taken = pool.tryAllocate();
            r.r2 = taken != null ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            if (taken != null) {
                taken.close();
            }
            r.r3 = pool.available() == pool.capacity() ? Stress.drainCount(pool, 3) : -pool.available();
        }
    }

    /**
     * Double release: of two actors closing the same handle exactly one succeeds; the object enters the free set once.
     */
    @JCStressTest
    @Outcome(id = {"1, -1, 1", "-1, 1, 1"}, expect = ACCEPTABLE, desc = "one close won, the other was refused")
    @Outcome(id = "1, 1, 2", expect = FORBIDDEN, desc = "both closes succeeded: the object is free twice")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class DoubleRelease {
        final Pool<Box> pool = pool(1);
        final Handle<Box> handle = pool.allocate();

        @Actor
        public void actor1(III_Result r) {
            r.r1 = Stress.close(handle);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = Stress.close(handle);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = Stress.drainCount(pool, 2);
        }
    }

    /** Close versus allocate: once close() has returned, nothing is handed out. */
    @JCStressTest
    @Outcome(id = {"0, 1", "0, -1", "1, -1"}, expect = ACCEPTABLE, desc = "allocated before the close, or refused")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "an object was handed out after close() returned")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class CloseVersusAllocate {
        final Pool<Box> pool = pool(1);
        volatile int closed;

        @Actor
        public void actor1(II_Result r) {
            pool.close();
            closed = 1;
        }

        @Actor
        public void actor2(II_Result r) {
            r.r1 = closed;
            r.r2 = Stress.take(pool);
        }
    }

    /**
     * Visibility on hand-off on the fast path: what the holder wrote before close (payload 4) is seen
     * by the thread that allocates the object next, and no reset function ran (resets 0).
     */
    @JCStressTest
    @Outcome(id = "1, 40", expect = ACCEPTABLE, desc = "the next holder saw the payload")
    @Outcome(id = "1, -1", expect = ACCEPTABLE, desc = "actor2 tried before the release")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "a write before close was not seen")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class FastPathHandOffVisibility {
        final Pool<Box> pool = fastPool(1);
        final Handle<Box> handle = pool.allocate();

        @Actor
        public void releaser(II_Result r) {
            handle.get().payload = 4;
            r.r1 = Stress.close(handle);
        }

        @Actor
        public void allocator(II_Result r) {
            r.r2 = Stress.observe(pool);
        }
    }

    /**
     * Conservation on the fast path with one releasing and one allocating thread: after a release
     * racing an allocation, and the allocation's release, every object is back.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "both objects are back")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, duplicated or refused")
    @State
    public static class FastPathRoleConservation {
        final Pool<Box> pool = fastPool(2);
        final Handle<Box> held = pool.allocate();
        Handle<Box> taken;

        @Actor
        public void releaser(III_Result r) {
            r.r1 = Stress.close(held);
        }

        @Actor
        public void allocator(III_Result r) {
            taken = pool.tryAllocate();
            r.r2 = taken != null ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            if (taken != null) {
                taken.close();
            }
            r.r3 = pool.available() == pool.capacity() ? Stress.drainCount(pool, 3) : -pool.available();
        }
    }

    /**
     * Double release on the fast path: two closes of the same handle on threads other than the
     * allocating one: exactly one wins (each claims with a CAS); the object enters the free set once.
     * The handle is allocated on {@link Stress#allocateElsewhere}'s thread, never an actor's: the
     * allocating thread's own close is a plain store, and its race with a foreign close is misuse
     * unchecked mode does not detect.
     */
    @JCStressTest
    @Outcome(id = {"1, -1, 1", "-1, 1, 1"}, expect = ACCEPTABLE, desc = "one close won, the other was refused")
    @Outcome(id = "1, 1, 2", expect = FORBIDDEN, desc = "both closes succeeded: the object is free twice")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class FastPathDoubleRelease {
        final Pool<Box> pool = fastPool(1);
        final Handle<Box> handle = Stress.allocateElsewhere(pool);

        @Actor
        public void actor1(III_Result r) {
            r.r1 = Stress.close(handle);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = Stress.close(handle);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = Stress.drainCount(pool, 2);
        }
    }

    /**
     * Close versus allocate on the fast path: an allocation that starts after close() returned is
     * refused with IllegalStateException; one racing close() is either served or refused, and
     * nothing is lost. The allocator first takes and returns the object once, so that its next
     * allocation runs the fast path. Results: the warm-up, whether close() had returned,
     * the allocation, and the objects unaccounted for once everything is given back.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 1, 0", "1, 0, -1, 0"}, expect = ACCEPTABLE,
            desc = "raced close(): served or refused, nothing lost")
    @Outcome(id = {"1, 1, -1, 0", "-1, 0, -1, 0", "-1, 1, -1, 0"}, expect = ACCEPTABLE, desc = "refused after close()")
    @Outcome(id = "1, 1, 1, 0", expect = FORBIDDEN, desc = "an object was handed out after close() returned")
    @Outcome(id = {"-1, 0, 1, 0", "-1, 1, 1, 0"}, expect = FORBIDDEN, desc = "served after an allocation was refused")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, or anything else")
    @State
    public static class FastPathCloseVersusAllocate {
        final Pool<Box> pool = fastPool(1);
        volatile int closed;
        Handle<Box> taken;

        @Actor
        public void closer(IIII_Result r) {
            pool.close();
            closed = 1;
        }

        @Actor
        public void allocator(IIII_Result r) {
            r.r1 = Stress.warmUp(pool);
            r.r2 = closed;
            try {
                taken = pool.tryAllocate();
                r.r3 = taken != null ? 1 : 0;
            } catch (IllegalStateException e) {
                r.r3 = -1;
            }
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = Stress.settle(pool, taken);
        }
    }
}
