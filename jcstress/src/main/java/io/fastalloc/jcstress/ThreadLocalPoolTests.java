package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.ThreadLocalPool;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests of {@code ThreadLocalPool}'s foreign-release path: handles allocated by one thread
 * (the one that builds the state) and closed by others, racing on the owner's lock-free return
 * stack. The tests of the shared kinds (ownership, visibility on re-allocation) do not apply as
 * such: each thread allocates only from its own part, so two threads never compete for one object;
 * the owner's re-allocation after a foreign release is checked by {@code ThreadLocalPoolLincheckTest}
 * and the ownership stress test.
 */
public final class ThreadLocalPoolTests {
    private ThreadLocalPoolTests() {
    }

    /** An unchecked pool; three threads at most touch it, so a small part table (memory per state). */
    static Pool<Box> pool(int capacity) {
        return ThreadLocalPool.create(Stress.config(capacity).toBuilder().maxThreads(4).build());
    }

    /**
     * A checked pool: unchecked mode closes on the owner's thread with plain writes (no atomic), so
     * only checked mode promises that one of two racing closes of a handle is refused.
     */
    static Pool<Box> checkedPool(int capacity) {
        return ThreadLocalPool.create(Stress.config(capacity).toBuilder().maxThreads(4).checked(true).build());
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
}
