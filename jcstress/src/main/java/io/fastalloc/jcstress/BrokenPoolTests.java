package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests of {@code BrokenPool}: a deliberately racy pool that every test here must catch. Run apart from the
 * real suite; its run is expected to FAIL.
 */
public final class BrokenPoolTests {
    private BrokenPoolTests() {
    }

    static Pool<Box> pool(int capacity) {
        return new BrokenPool(capacity);
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
}
