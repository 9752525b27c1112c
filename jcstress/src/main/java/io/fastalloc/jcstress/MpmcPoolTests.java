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
 * jcstress tests of {@code MpmcPool}: any thread allocates, any thread releases.
 *
 * <p>Each test runs in the registry's {@code RESET} configuration and, as {@code FastPath*}, in
 * {@code FAST_PATH} (see {@link Stress}): there allocate and close take the queue pool's simple path
 * ({@code tryAllocateSimple}, the simple release), which a reset function turns off.
 */
public final class MpmcPoolTests {
    private MpmcPoolTests() {
    }

    /** The registry's {@code RESET} configuration: the tests without a prefix. */
    static Pool<Box> pool(int capacity) {
        return Stress.pool(PoolKind.MPMC, Configuration.RESET, capacity);
    }

    /** The registry's {@code FAST_PATH} configuration: the {@code FastPath*} tests. */
    static Pool<Box> fastPool(int capacity) {
        return Stress.pool(PoolKind.MPMC, Configuration.FAST_PATH, capacity);
    }

    /** Ownership: two actors allocating from a pool of capacity 1 never both get the object. */
    @JCStressTest
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "exactly one actor got the object")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "both actors hold the same object")
    @Outcome(expect = FORBIDDEN, desc = "the object was lost or the pool refused")
    @State
    public static class Ownership {
        final Pool<Box> pool = pool(1);

        @Actor
        public void actor1(II_Result r) {
            r.r1 = Stress.take(pool);
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = Stress.take(pool);
        }
    }

    /** Conservation: actors that allocate and close leave every object back in the pool. */
    @JCStressTest
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "both went round, both objects are back")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, duplicated or refused")
    @State
    public static class Conservation {
        final Pool<Box> pool = pool(2);

        @Actor
        public void actor1(III_Result r) {
            r.r1 = Stress.cycle(pool);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = Stress.cycle(pool);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = pool.available() == pool.capacity() ? Stress.drainCount(pool, 3) : -pool.available();
        }
    }

    /**
     * Visibility: what the holder wrote before close (payload 4), and the reset function's effect
     * (resets 1), are both seen by the next holder.
     */
    @JCStressTest
    @Outcome(id = "1, 41", expect = ACCEPTABLE, desc = "the next holder saw the payload and the reset")
    @Outcome(id = "1, -1", expect = ACCEPTABLE, desc = "actor2 tried while actor1 held the object")
    @Outcome(id = {"0, 0", "1, 0"}, expect = ACCEPTABLE, desc = "actor2 went first")
    @Outcome(id = {"1, 40", "1, 1"}, expect = FORBIDDEN, desc = "a write before close was not seen")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class Visibility {
        final Pool<Box> pool = pool(1);

        @Actor
        public void actor1(II_Result r) {
            r.r1 = Stress.publish(pool);
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = Stress.observe(pool);
        }
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

    /** Ownership on the fast path: two actors allocating from a pool of capacity 1 never both get the object. */
    @JCStressTest
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "exactly one actor got the object")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "both actors hold the same object")
    @Outcome(expect = FORBIDDEN, desc = "the object was lost or the pool refused")
    @State
    public static class FastPathOwnership {
        final Pool<Box> pool = fastPool(1);

        @Actor
        public void actor1(II_Result r) {
            r.r1 = Stress.take(pool);
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = Stress.take(pool);
        }
    }

    /** Conservation on the fast path: actors that allocate and close leave every object back in the pool. */
    @JCStressTest
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "both went round, both objects are back")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, duplicated or refused")
    @State
    public static class FastPathConservation {
        final Pool<Box> pool = fastPool(2);

        @Actor
        public void actor1(III_Result r) {
            r.r1 = Stress.cycle(pool);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = Stress.cycle(pool);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = pool.available() == pool.capacity() ? Stress.drainCount(pool, 3) : -pool.available();
        }
    }

    /**
     * Visibility on the fast path, where no reset function marks a release: each actor takes the
     * object, reads what the previous holder wrote, writes its own mark (1 or 2) and closes, so
     * whichever holds it second sees the first one's mark.
     */
    @JCStressTest
    @Outcome(id = {"0, 1", "2, 0"}, expect = ACCEPTABLE, desc = "the second holder saw the first one's mark")
    @Outcome(id = {"0, -1", "-1, 0"}, expect = ACCEPTABLE, desc = "one actor tried while the other held the object")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "both held the object and neither saw the other's write")
    @Outcome(expect = FORBIDDEN, desc = "anything else")
    @State
    public static class FastPathVisibility {
        final Pool<Box> pool = fastPool(1);

        @Actor
        public void actor1(II_Result r) {
            r.r1 = Stress.swap(pool, 1);
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = Stress.swap(pool, 2);
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
     * Owner and foreign close on the fast path: the allocating thread's own close (a plain store,
     * no CAS) runs beside a legitimate close of another handle on another thread (a CAS). The owner
     * takes both objects, publishes one, closes the other itself and takes up to two more; the
     * foreign actor writes payload 4 into the published object and closes it. The owner gets the
     * foreign-closed object only after that close, and then sees its payload; nothing is lost or
     * counted twice (available 2, in use 0: "20"). Results: the owner's second round (see
     * {@link Stress#ownerRound}), the foreign close (0: came before the publication, the arbiter
     * closes the handle), the counts.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 20", "1, 1, 20"}, expect = ACCEPTABLE,
            desc = "the owner took its own object back; the other was still out or elsewhere")
    @Outcome(id = "2, 1, 20", expect = ACCEPTABLE,
            desc = "the owner took both back and saw the foreign closer's payload")
    @Outcome(id = {"-1, 1, 20", "-2, 1, 20"}, expect = FORBIDDEN,
            desc = "a write before the foreign close was not seen")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, handed out unreleased, or counted twice")
    @State
    public static class FastPathOwnerAndForeignClose {
        final Pool<Box> pool = fastPool(2);
        /** Written once by the owner (volatile), read by the foreign closer and the arbiter. */
        volatile Handle<Box> shared;

        @Actor
        public void owner(III_Result r) {
            r.r1 = Stress.ownerRound(pool::tryAllocate, h -> shared = h);
        }

        @Actor
        public void foreign(III_Result r) {
            r.r2 = Stress.foreignClose(() -> shared);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            if (r.r2 == 0) {
                shared.close(); // the foreign closer came too early: give the handle back here
            }
            r.r3 = pool.available() * 10 + pool.inUse();
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
