package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.PoolView;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress tests of {@link BrokenView}: the view tests of {@code CachingPoolTests} that involve a
 * close on another thread than the allocating view's ({@code ViewForeignClose},
 * {@code ViewDoubleRelease}), run against a view whose close pushes into the allocating view's plain
 * stack with a plain check-then-store. Every test here must catch it. Run apart from the real suite;
 * its run is expected to FAIL. (The view tests without a foreign close, ownership, conservation and
 * give-back, exercise only the view's owner, which the broken view handles correctly; they have no
 * copy here.)
 */
public final class BrokenViewTests {
    private BrokenViewTests() {
    }

    /**
     * Foreign close of a view's handle, as {@code CachingPoolTests.FastPathViewForeignClose}: the
     * owner's view and the foreign closer touch the same plain stack, so objects are lost or
     * duplicated ("20" fails) or the foreign closer's payload is not seen.
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
    public static class ViewForeignClose {
        final BrokenView.Home pool = new BrokenView.Home(2);
        /** Written once by the owner (volatile), read by the foreign closer and the arbiter. */
        volatile Handle<Box> shared;

        @Actor
        public void owner(III_Result r) {
            PoolView<Box> v = pool.view();
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
     * View double release, as {@code CachingPoolTests.FastPathViewDoubleRelease}: two closes on
     * threads other than the allocating one can both pass the broken view's plain check.
     */
    @JCStressTest
    @Outcome(id = {"1, -1, 1", "-1, 1, 1"}, expect = ACCEPTABLE, desc = "one close won, the other was refused")
    @Outcome(expect = FORBIDDEN, desc = "both closes succeeded, or the count is off")
    @State
    public static class ViewDoubleRelease {
        final BrokenView.Home pool = new BrokenView.Home(1);
        final Handle<Box> handle = Stress.elsewhere(() -> pool.view().allocate());

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
