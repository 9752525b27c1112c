package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests of {@code ThreadLocalPool}'s foreign-release path: handles allocated by one thread
 * (the one that builds the state) and closed by others, racing on the owner's lock-free return
 * stack. The tests of the shared kinds (ownership, visibility on re-allocation) do not apply as
 * such: each thread allocates only from its own part, so two threads never compete for one object;
 * the owner's re-allocation after a foreign release is checked here by {@code OwnerAndForeignClose},
 * and by {@code ThreadLocalPoolLincheckTest} and the ownership stress test.
 *
 * <p>The tests run in the registry's {@code RESET} configuration and, as {@code FastPath*}, in
 * {@code FAST_PATH} (see {@link Stress}): there the owner closes with plain writes (no atomic), a
 * path a reset function or checked mode turns off, and allocates from the part cached in the thread
 * table. Close versus allocate runs on the fast path only (a reset function changes the close, not
 * the allocation it checks); double release runs in {@code CHECKED} only, the one configuration
 * that promises it.
 *
 * <p>jcstress builds each state on one of the actor threads (or on its main thread), so the thread
 * that allocated the handles a state holds may be one of the closing actors: the "foreign" closes
 * are then one owner close and one foreign close.
 */
public final class ThreadLocalPoolTests {
    private ThreadLocalPoolTests() {
    }

    /** Three threads at most touch a state's pool, so a small part table (memory per state). */
    static PoolConfig.Builder<Box> builder(int capacity) {
        return Stress.builder(capacity).maxThreads(4);
    }

    /** The registry's {@code RESET} configuration: the tests without a prefix. */
    static Pool<Box> pool(int capacity) {
        return Stress.pool(PoolKind.THREAD_LOCAL, Configuration.RESET, builder(capacity));
    }

    /** The registry's {@code FAST_PATH} configuration: the {@code FastPath*} tests. */
    static Pool<Box> fastPool(int capacity) {
        return Stress.pool(PoolKind.THREAD_LOCAL, Configuration.FAST_PATH, builder(capacity));
    }

    /**
     * The registry's {@code CHECKED} configuration: unchecked mode closes on the owner's thread with
     * plain writes (no atomic), so only checked mode promises that one of two racing closes of a
     * handle is refused.
     */
    static Pool<Box> checkedPool(int capacity) {
        return Stress.pool(PoolKind.THREAD_LOCAL, Configuration.CHECKED, builder(capacity));
    }

    /**
     * Double release in checked mode: of two threads closing the same handle (the state's builder,
     * the owner, may be one of them) exactly one succeeds, and the object is back once
     * (available 1, in use 0: "10"). Unchecked mode does not promise this: its owner close is plain.
     */
    @JCStressTest
    @Outcome(id = {"1, -1, 10", "-1, 1, 10"}, expect = ACCEPTABLE, desc = "one close won, the other was refused")
    @Outcome(expect = FORBIDDEN, desc = "both closes won, or the counts are off")
    @State
    public static class ForeignDoubleRelease {
        final Pool<Box> pool = checkedPool(1);
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
            r.r3 = pool.available() * 10 + pool.inUse();
        }
    }

    /**
     * Foreign conservation: two foreign threads closing two handles at once both land on the
     * owner's return stack (available 2, in use 0: "20").
     */
    @JCStressTest
    @Outcome(id = "1, 1, 20", expect = ACCEPTABLE, desc = "both objects are back")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost or counted twice")
    @State
    public static class ForeignConservation {
        final Pool<Box> pool = pool(2);
        final Handle<Box> first = pool.allocate();
        final Handle<Box> second = pool.allocate();

        @Actor
        public void actor1(III_Result r) {
            r.r1 = Stress.close(first);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = Stress.close(second);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = pool.available() * 10 + pool.inUse();
        }
    }

    /**
     * Owner and foreign close: the owner uses up its part (2), hands one handle to
     * another thread and closes the other itself; the other thread writes payload 4 and
     * closes its handle onto the owner's return stack while the owner allocates twice more, the
     * second time taking the return stack back. The owner gets the foreign-closed object only after
     * its close, and then sees its payload; nothing is lost or counted twice (available 2, in use 0:
     * "20"). Results: the owner's second round (1 = only its own object, 2 = both, -2 = the
     * foreign-closed object without its payload), the foreign close, the counts.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 20", "1, 1, 20"}, expect = ACCEPTABLE,
            desc = "the owner took its own object back; the other was still out")
    @Outcome(id = "2, 1, 20", expect = ACCEPTABLE,
            desc = "the owner took both back and saw the foreign closer's payload")
    @Outcome(id = "-2, 1, 20", expect = FORBIDDEN, desc = "a write before the foreign close was not seen")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, handed out unreleased, or counted twice")
    @State
    public static class OwnerAndForeignClose {
        final Pool<Box> pool = pool(2);
        /** Written once by the owner (volatile), read by the foreign closer and the arbiter. */
        volatile Handle<Box> shared;

        @Actor
        public void owner(III_Result r) {
            Handle<Box> mine = pool.allocate();
            Handle<Box> theirs = pool.allocate();
            shared = theirs;
            mine.close();
            Handle<Box> first = pool.tryAllocate(); // its own object, from its free set
            Handle<Box> second = pool.tryAllocate(); // its free set is empty: takes the return stack
            if (first == null) {
                r.r1 = 0;
            } else if (second == null) {
                r.r1 = 1;
            } else {
                r.r1 = second.get().payload == 4 ? 2 : -2;
            }
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }

        @Actor
        public void foreign(III_Result r) {
            Handle<Box> h = shared;
            if (h == null) {
                r.r2 = 0;
                return;
            }
            h.get().payload = 4;
            r.r2 = Stress.close(h);
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
     * Foreign conservation on the fast path: two threads closing two handles at once (onto the
     * owner's return stack, or one of them the owner's plain close) both land (available 2, in use
     * 0: "20").
     */
    @JCStressTest
    @Outcome(id = "1, 1, 20", expect = ACCEPTABLE, desc = "both objects are back")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost or counted twice")
    @State
    public static class FastPathForeignConservation {
        final Pool<Box> pool = fastPool(2);
        final Handle<Box> first = pool.allocate();
        final Handle<Box> second = pool.allocate();

        @Actor
        public void actor1(III_Result r) {
            r.r1 = Stress.close(first);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = Stress.close(second);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = pool.available() * 10 + pool.inUse();
        }
    }

    /**
     * Owner and foreign close on the fast path: the owner uses up its part (2), hands one handle to
     * another thread and closes the other itself with plain writes; the other thread writes payload 4 and
     * closes its handle onto the owner's return stack while the owner allocates twice more, the
     * second time taking the return stack back. The owner gets the foreign-closed object only after
     * its close, and then sees its payload; nothing is lost or counted twice (available 2, in use 0:
     * "20"). Results: the owner's second round (1 = only its own object, 2 = both, -2 = the
     * foreign-closed object without its payload), the foreign close, the counts.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 20", "1, 1, 20"}, expect = ACCEPTABLE,
            desc = "the owner took its own object back; the other was still out")
    @Outcome(id = "2, 1, 20", expect = ACCEPTABLE,
            desc = "the owner took both back and saw the foreign closer's payload")
    @Outcome(id = "-2, 1, 20", expect = FORBIDDEN, desc = "a write before the foreign close was not seen")
    @Outcome(expect = FORBIDDEN, desc = "an object was lost, handed out unreleased, or counted twice")
    @State
    public static class FastPathOwnerAndForeignClose {
        final Pool<Box> pool = fastPool(2);
        /** Written once by the owner (volatile), read by the foreign closer and the arbiter. */
        volatile Handle<Box> shared;

        @Actor
        public void owner(III_Result r) {
            Handle<Box> mine = pool.allocate();
            Handle<Box> theirs = pool.allocate();
            shared = theirs;
            mine.close();
            Handle<Box> first = pool.tryAllocate(); // its own object, from its free set
            Handle<Box> second = pool.tryAllocate(); // its free set is empty: takes the return stack
            if (first == null) {
                r.r1 = 0;
            } else if (second == null) {
                r.r1 = 1;
            } else {
                r.r1 = second.get().payload == 4 ? 2 : -2;
            }
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }

        @Actor
        public void foreign(III_Result r) {
            Handle<Box> h = shared;
            if (h == null) {
                r.r2 = 0;
                return;
            }
            h.get().payload = 4;
            r.r2 = Stress.close(h);
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
     * allocation runs the fast path (its own part, cached in the thread table, which close()
     * empties). Results: the warm-up, whether close() had returned, the allocation, and the objects
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
