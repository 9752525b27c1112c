package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolView;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;
import io.fastalloc.lockfree.CachingPool;
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
 * jcstress tests of {@code CachingPool}, the thread-caching pool. With the tiny capacities here its default sizing
 * gives no magazines (the depot path); the Magazine* tests force 2 stripes of 1 entry each so that the per-thread
 * magazines and their hot slots are exercised.
 *
 * <p>Each test runs in the registry's {@code RESET} configuration and, as {@code FastPath*}, in
 * {@code FAST_PATH} (see {@link Stress}): there the owner's allocate and close use the magazine's
 * hot slot and the magazine hint an allocation leaves in the slot, which a reset function turns
 * off; the depot-only pools run the simple branch. Close versus allocate on the magazine's hot slot
 * ({@code FastPathMagazineCloseVersusAllocate}) exists on the fast path only, where the hot slot does.
 *
 * <p>The {@code *View*} tests allocate through {@link CachingPool#view()}, each actor through a view
 * it made on its own thread, on the fast path ({@code FastPathView*}) and in checked mode
 * ({@code CheckedView*}, where every close claims its lease with a CAS): ownership, conservation,
 * a foreign close of a view's handle, the give-back of a closed view and double release. Their
 * foreign-close and double-release tests also run against {@link BrokenView}, apart, and must fail
 * there ({@link BrokenViewTests}).
 */
public final class CachingPoolTests {
    private CachingPoolTests() {
    }

    /** The registry's {@code RESET} configuration: the tests without a prefix. */
    static Pool<Box> pool(int capacity) {
        return Stress.pool(PoolKind.CACHING, Configuration.RESET, capacity);
    }

    /** The registry's {@code FAST_PATH} configuration: the {@code FastPath*} tests. */
    static Pool<Box> fastPool(int capacity) {
        return Stress.pool(PoolKind.CACHING, Configuration.FAST_PATH, capacity);
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

    /**
     * The registry's {@link PoolKind#CACHING} kind with 2 stripes of 1 entry, in a configuration of
     * the registry ({@link PoolKind#create} takes only the config, so the sizing goes through the
     * public tuning factory).
     */
    static Pool<Box> magazinePool(Configuration configuration, int capacity) {
        if (!PoolKind.CACHING.className.equals(CachingPool.class.getName())) {
            throw new AssertionError("the registry's caching kind is " + PoolKind.CACHING.className);
        }
        return CachingPool.create(Stress.config(configuration, capacity), 2, 1);
    }

    /** The {@code RESET} configuration with magazines: the {@code Magazine*} tests. */
    static Pool<Box> magazinePool(int capacity) {
        return magazinePool(Configuration.RESET, capacity);
    }

    /** The {@code FAST_PATH} configuration with magazines: the {@code FastPathMagazine*} tests. */
    static Pool<Box> fastMagazinePool(int capacity) {
        return magazinePool(Configuration.FAST_PATH, capacity);
    }

    /**
     * A pool with one stripe of 1 entry: the first thread to use it owns the only magazine, every
     * other thread works through the depot, so a close on another thread always reaches the depot.
     */
    static Pool<Box> singleStripePool(Configuration configuration, int capacity) {
        return CachingPool.create(Stress.config(configuration, capacity), 1, 1);
    }

    /** A view of {@code pool} for the calling thread (the pool is a {@link CachingPool}). */
    static PoolView<Box> view(Pool<Box> pool) {
        return ((CachingPool<Box>) pool).view();
    }

    /** Ownership with magazines: two actors allocating from a pool of capacity 1 never both get the object. */
    @JCStressTest
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "exactly one actor got the object")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "both actors hold the same object")
    @Outcome(expect = FORBIDDEN, desc = "the object was lost or the pool refused")
    @State
    public static class MagazineOwnership {
        final Pool<Box> pool = magazinePool(1);

        @Actor
        public void actor1(II_Result r) {
            r.r1 = Stress.take(pool);
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = Stress.take(pool);
        }
    }

    /**
     * Conservation with magazines: actors that allocate and close twice (so objects land in their
     * magazines) leave every object accounted for: available() counts the depot and every magazine.
     */
    @JCStressTest
    @Outcome(id = {"0, 0, 2", "0, 1, 2", "0, 2, 2", "1, 0, 2", "1, 1, 2", "1, 2, 2", "2, 0, 2", "2, 1, 2", "2, 2, 2"},
            expect = ACCEPTABLE, desc = "however many went round, both objects are accounted for")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost or duplicated")
    @State
    public static class MagazineConservation {
        final Pool<Box> pool = magazinePool(2);

        @Actor
        public void actor1(III_Result r) {
            r.r1 = Stress.cycle(pool) + Stress.cycle(pool);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = Stress.cycle(pool) + Stress.cycle(pool);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = pool.inUse() == 0 ? pool.available() : -1;
        }
    }

    /** Double release with magazines: of two actors closing the same handle exactly one succeeds. */
    @JCStressTest
    @Outcome(id = {"1, -1, 1", "-1, 1, 1"}, expect = ACCEPTABLE, desc = "one close won, the other was refused")
    @Outcome(expect = FORBIDDEN, desc = "both closes succeeded, or the count is off")
    @State
    public static class MagazineDoubleRelease {
        final Pool<Box> pool = magazinePool(1);
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
            r.r3 = pool.inUse() == 0 ? pool.available() : -1;
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
     * Owner and foreign close on the fast path (depot only): the allocating thread's own close (a plain store,
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

    /** Ownership on the fast path: two actors allocating from a pool of capacity 1 never both get the object. */
    @JCStressTest
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "exactly one actor got the object")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "both actors hold the same object")
    @Outcome(expect = FORBIDDEN, desc = "the object was lost or the pool refused")
    @State
    public static class FastPathMagazineOwnership {
        final Pool<Box> pool = fastMagazinePool(1);

        @Actor
        public void actor1(II_Result r) {
            r.r1 = Stress.take(pool);
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = Stress.take(pool);
        }
    }

    /**
     * Conservation with magazines on the fast path: actors that allocate and close twice (so objects
     * land in their magazines' hot slots) leave every object accounted for: available() counts the
     * depot and every magazine.
     */
    @JCStressTest
    @Outcome(id = {"0, 0, 2", "0, 1, 2", "0, 2, 2", "1, 0, 2", "1, 1, 2", "1, 2, 2", "2, 0, 2", "2, 1, 2", "2, 2, 2"},
            expect = ACCEPTABLE, desc = "however many went round, both objects are accounted for")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost or duplicated")
    @State
    public static class FastPathMagazineConservation {
        final Pool<Box> pool = fastMagazinePool(2);

        @Actor
        public void actor1(III_Result r) {
            r.r1 = Stress.cycle(pool) + Stress.cycle(pool);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = Stress.cycle(pool) + Stress.cycle(pool);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = pool.inUse() == 0 ? pool.available() : -1;
        }
    }

    /**
     * Double release with magazines on the fast path: two closes of the same handle on threads other
     * than the allocating one: exactly one wins (whichever magazine hint the allocation left). The
     * handle is allocated on {@link Stress#allocateElsewhere}'s thread, never an actor's (see
     * {@link FastPathDoubleRelease}).
     */
    @JCStressTest
    @Outcome(id = {"1, -1, 1", "-1, 1, 1"}, expect = ACCEPTABLE, desc = "one close won, the other was refused")
    @Outcome(expect = FORBIDDEN, desc = "both closes succeeded, or the count is off")
    @State
    public static class FastPathMagazineDoubleRelease {
        final Pool<Box> pool = fastMagazinePool(1);
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
            r.r3 = pool.inUse() == 0 ? pool.available() : -1;
        }
    }

    /**
     * Owner and foreign close on the fast path with magazines: the allocating thread's own close (a plain store,
     * no CAS) runs beside a legitimate close of another handle on another thread (a CAS). The owner
     * takes both objects, publishes one, closes the other itself and takes up to two more; the
     * foreign actor writes payload 4 into the published object and closes it. The owner gets the
     * foreign-closed object only after that close, and then sees its payload; nothing is lost or
     * counted twice (available 2, in use 0: "20").
     * The foreign close lands in the foreign actor's magazine when it owns a stripe, where the owner
     * cannot take it: then the owner's second round takes only its own object. Results: the owner's second round (see
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
    public static class FastPathMagazineOwnerAndForeignClose {
        final Pool<Box> pool = fastMagazinePool(2);
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
     * allocation runs the fast path from its magazine's hot slot, which checks only the control
     * word. Results: the warm-up, whether close() had returned, the allocation, and the objects
     * unaccounted for once everything is given back.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 1, 0", "1, 0, -1, 0"}, expect = ACCEPTABLE,
            desc = "raced close(): served or refused, nothing lost")
    @Outcome(id = {"1, 1, -1, 0", "-1, 0, -1, 0", "-1, 1, -1, 0"}, expect = ACCEPTABLE, desc = "refused after close()")
    @Outcome(id = "1, 1, 1, 0", expect = FORBIDDEN, desc = "an object was handed out after close() returned")
    @Outcome(id = {"-1, 0, 1, 0", "-1, 1, 1, 0"}, expect = FORBIDDEN, desc = "served after an allocation was refused")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, or anything else")
    @State
    public static class FastPathMagazineCloseVersusAllocate {
        final Pool<Box> pool = fastMagazinePool(1);
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
    /**
     * View ownership on the fast path: two actors, each allocating through a view it made on its own thread,
     * from a pool of 1 object with magazines, never both get the object; once the arbiter closes
     * what they hold, the object is back ({@link Stress#settle}: 0).
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 0", "0, 1, 0"}, expect = ACCEPTABLE, desc = "exactly one view got the object")
    @Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "both views hold the same object")
    @Outcome(expect = FORBIDDEN, desc = "the object was lost or a view refused")
    @State
    public static class FastPathViewOwnership {
        final Pool<Box> pool = magazinePool(Configuration.FAST_PATH, 1);
        Handle<Box> taken1;
        Handle<Box> taken2;

        @Actor
        public void actor1(III_Result r) {
            taken1 = view(pool).tryAllocate();
            r.r1 = taken1 != null ? 1 : 0;
        }

        @Actor
        public void actor2(III_Result r) {
            taken2 = view(pool).tryAllocate();
            r.r2 = taken2 != null ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            if (taken1 != null && taken2 != null) {
                r.r3 = -1; // both held it: closing both would be a double release
                return;
            }
            r.r3 = Stress.settle(pool, taken1 != null ? taken1 : taken2); // a leaked lease would log (checked)
        }
    }

    /**
     * View conservation on the fast path: two actors each cycle twice through their own view (allocating
     * thread's own closes, into their magazines) and then close the view (its magazine goes back to
     * the depot, racing the other's refills); every object is accounted for afterwards.
     */
    @JCStressTest
    @Outcome(id = {"0, 0, 2", "0, 1, 2", "0, 2, 2", "1, 0, 2", "1, 1, 2", "1, 2, 2", "2, 0, 2", "2, 1, 2", "2, 2, 2"},
            expect = ACCEPTABLE, desc = "however many went round, both objects are accounted for")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost or duplicated")
    @State
    public static class FastPathViewConservation {
        final Pool<Box> pool = magazinePool(Configuration.FAST_PATH, 2);

        @Actor
        public void actor1(III_Result r) {
            PoolView<Box> v = view(pool);
            r.r1 = Stress.cycle(v) + Stress.cycle(v);
            v.close();
        }

        @Actor
        public void actor2(III_Result r) {
            PoolView<Box> v = view(pool);
            r.r2 = Stress.cycle(v) + Stress.cycle(v);
            v.close();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = pool.inUse() == 0 ? pool.available() : -1;
        }
    }

    /**
     * Foreign close of a view's handle on the fast path: the owner allocates both objects through its view,
     * publishes one and closes the other itself, then allocates twice more through the view; the
     * foreign actor writes payload 4 into the published object and closes it. The pool has one
     * stripe, which the owner's view holds, so the foreign close goes to the depot, from which the
     * view's refill can take it: when it does, it sees the payload; nothing is lost or counted
     * twice ("20"). Results: the owner's second round ({@link Stress#ownerRound}), the foreign close,
     * the counts.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 20", "1, 1, 20"}, expect = ACCEPTABLE,
            desc = "the owner took its own object back; the other was still out")
    @Outcome(id = "2, 1, 20", expect = ACCEPTABLE,
            desc = "the owner took both back and saw the foreign closer's payload")
    @Outcome(id = {"-1, 1, 20", "-2, 1, 20"}, expect = FORBIDDEN,
            desc = "a write before the foreign close was not seen")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, handed out unreleased, or counted twice")
    @State
    public static class FastPathViewForeignClose {
        final Pool<Box> pool = singleStripePool(Configuration.FAST_PATH, 2);
        /** Written once by the owner (volatile), read by the foreign closer and the arbiter. */
        volatile Handle<Box> shared;

        @Actor
        public void owner(III_Result r) {
            PoolView<Box> v = view(pool);
            r.r1 = Stress.ownerRound(v::tryAllocate, h -> shared = h);
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
     * A closed view gives its objects back on the fast path: the owner cycles the only object through its view
     * (it lands in the view's magazine), closes the view and then says so (volatile); another actor
     * that sees the view closed and then allocates from the pool gets the object. Results: the
     * owner's cycle, whether the view was closed, the other's allocation, the objects unaccounted
     * for once everything is given back.
     */
    @JCStressTest
    @Outcome(id = {"1, 1, 1, 0", "1, 0, 1, 0", "1, 0, 0, 0"}, expect = ACCEPTABLE,
            desc = "got it after the give-back, or raced the view")
    @Outcome(id = "0, 0, 1, 0", expect = ACCEPTABLE, desc = "the other actor took it first")
    @Outcome(id = "1, 1, 0, 0", expect = FORBIDDEN, desc = "the closed view kept the object")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, or anything else")
    @State
    public static class FastPathViewCloseGivesBack {
        final Pool<Box> pool = magazinePool(Configuration.FAST_PATH, 1);
        volatile int viewClosed;
        Handle<Box> taken;

        @Actor
        public void owner(IIII_Result r) {
            PoolView<Box> v = view(pool);
            r.r1 = Stress.cycle(v);
            v.close();
            viewClosed = 1;
        }

        @Actor
        public void other(IIII_Result r) {
            r.r2 = viewClosed;
            taken = pool.tryAllocate();
            r.r3 = taken != null ? 1 : 0;
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = Stress.settle(pool, taken);
        }
    }

    /**
     * View double release on the fast path: a handle allocated through a view made on
     * {@link Stress#elsewhere}'s thread (never an actor's), closed by two actors: two closes on
     * threads other than the allocating one: exactly one wins, and the object is back once.
     */
    @JCStressTest
    @Outcome(id = {"1, -1, 1", "-1, 1, 1"}, expect = ACCEPTABLE, desc = "one close won, the other was refused")
    @Outcome(expect = FORBIDDEN, desc = "both closes succeeded, or the count is off")
    @State
    public static class FastPathViewDoubleRelease {
        final Pool<Box> pool = magazinePool(Configuration.FAST_PATH, 1);
        final Handle<Box> handle = Stress.elsewhere(() -> view(pool).allocate());

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
            r.r3 = pool.inUse() == 0 ? pool.available() : -1;
        }
    }

    /**
     * View ownership in checked mode: two actors, each allocating through a view it made on its own thread,
     * from a pool of 1 object with magazines, never both get the object; once the arbiter closes
     * what they hold, the object is back ({@link Stress#settle}: 0).
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 0", "0, 1, 0"}, expect = ACCEPTABLE, desc = "exactly one view got the object")
    @Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "both views hold the same object")
    @Outcome(expect = FORBIDDEN, desc = "the object was lost or a view refused")
    @State
    public static class CheckedViewOwnership {
        final Pool<Box> pool = magazinePool(Configuration.CHECKED, 1);
        Handle<Box> taken1;
        Handle<Box> taken2;

        @Actor
        public void actor1(III_Result r) {
            taken1 = view(pool).tryAllocate();
            r.r1 = taken1 != null ? 1 : 0;
        }

        @Actor
        public void actor2(III_Result r) {
            taken2 = view(pool).tryAllocate();
            r.r2 = taken2 != null ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            if (taken1 != null && taken2 != null) {
                r.r3 = -1; // both held it: closing both would be a double release
                return;
            }
            r.r3 = Stress.settle(pool, taken1 != null ? taken1 : taken2); // a leaked lease would log (checked)
        }
    }

    /**
     * View conservation in checked mode: two actors each cycle twice through their own view (allocating
     * thread's own closes, into their magazines) and then close the view (its magazine goes back to
     * the depot, racing the other's refills); every object is accounted for afterwards.
     */
    @JCStressTest
    @Outcome(id = {"0, 0, 2", "0, 1, 2", "0, 2, 2", "1, 0, 2", "1, 1, 2", "1, 2, 2", "2, 0, 2", "2, 1, 2", "2, 2, 2"},
            expect = ACCEPTABLE, desc = "however many went round, both objects are accounted for")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost or duplicated")
    @State
    public static class CheckedViewConservation {
        final Pool<Box> pool = magazinePool(Configuration.CHECKED, 2);

        @Actor
        public void actor1(III_Result r) {
            PoolView<Box> v = view(pool);
            r.r1 = Stress.cycle(v) + Stress.cycle(v);
            v.close();
        }

        @Actor
        public void actor2(III_Result r) {
            PoolView<Box> v = view(pool);
            r.r2 = Stress.cycle(v) + Stress.cycle(v);
            v.close();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = pool.inUse() == 0 ? pool.available() : -1;
        }
    }

    /**
     * Foreign close of a view's handle in checked mode: the owner allocates both objects through its view,
     * publishes one and closes the other itself, then allocates twice more through the view; the
     * foreign actor writes payload 4 into the published object and closes it. The pool has one
     * stripe, which the owner's view holds, so the foreign close goes to the depot, from which the
     * view's refill can take it: when it does, it sees the payload; nothing is lost or counted
     * twice ("20"). Results: the owner's second round ({@link Stress#ownerRound}), the foreign close,
     * the counts.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 20", "1, 1, 20"}, expect = ACCEPTABLE,
            desc = "the owner took its own object back; the other was still out")
    @Outcome(id = "2, 1, 20", expect = ACCEPTABLE,
            desc = "the owner took both back and saw the foreign closer's payload")
    @Outcome(id = {"-1, 1, 20", "-2, 1, 20"}, expect = FORBIDDEN,
            desc = "a write before the foreign close was not seen")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, handed out unreleased, or counted twice")
    @State
    public static class CheckedViewForeignClose {
        final Pool<Box> pool = singleStripePool(Configuration.CHECKED, 2);
        /** Written once by the owner (volatile), read by the foreign closer and the arbiter. */
        volatile Handle<Box> shared;

        @Actor
        public void owner(III_Result r) {
            PoolView<Box> v = view(pool);
            r.r1 = Stress.ownerRound(v::tryAllocate, h -> shared = h);
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
     * A closed view gives its objects back in checked mode: the owner cycles the only object through its view
     * (it lands in the view's magazine), closes the view and then says so (volatile); another actor
     * that sees the view closed and then allocates from the pool gets the object. Results: the
     * owner's cycle, whether the view was closed, the other's allocation, the objects unaccounted
     * for once everything is given back.
     */
    @JCStressTest
    @Outcome(id = {"1, 1, 1, 0", "1, 0, 1, 0", "1, 0, 0, 0"}, expect = ACCEPTABLE,
            desc = "got it after the give-back, or raced the view")
    @Outcome(id = "0, 0, 1, 0", expect = ACCEPTABLE, desc = "the other actor took it first")
    @Outcome(id = "1, 1, 0, 0", expect = FORBIDDEN, desc = "the closed view kept the object")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, or anything else")
    @State
    public static class CheckedViewCloseGivesBack {
        final Pool<Box> pool = magazinePool(Configuration.CHECKED, 1);
        volatile int viewClosed;
        Handle<Box> taken;

        @Actor
        public void owner(IIII_Result r) {
            PoolView<Box> v = view(pool);
            r.r1 = Stress.cycle(v);
            v.close();
            viewClosed = 1;
        }

        @Actor
        public void other(IIII_Result r) {
            r.r2 = viewClosed;
            taken = pool.tryAllocate();
            r.r3 = taken != null ? 1 : 0;
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r4 = Stress.settle(pool, taken);
        }
    }

    /**
     * View double release in checked mode: a handle allocated through a view made on
     * {@link Stress#elsewhere}'s thread (never an actor's), closed by two actors: two closes on
     * threads other than the allocating one: exactly one wins, and the object is back once.
     */
    @JCStressTest
    @Outcome(id = {"1, -1, 1", "-1, 1, 1"}, expect = ACCEPTABLE, desc = "one close won, the other was refused")
    @Outcome(expect = FORBIDDEN, desc = "both closes succeeded, or the count is off")
    @State
    public static class CheckedViewDoubleRelease {
        final Pool<Box> pool = magazinePool(Configuration.CHECKED, 1);
        final Handle<Box> handle = Stress.elsewhere(() -> view(pool).allocate());

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
            r.r3 = pool.inUse() == 0 ? pool.available() : -1;
        }
    }
}
