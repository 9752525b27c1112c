package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.internal.Slot;
import io.fastalloc.lockfree.internal.QueuePool;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link MpmcPool} is linearizable for allocate, tryAllocate, close of a handle (by its owner) and
 * available; and, in a second set, for allocate, tryAllocate and close of handles
 * against close of the pool. The two sets are apart because an allocation that races with
 * {@code close()} takes a slot and puts it back, a dip that {@code available()} may see (documented).
 * Batches are left out for the same reason (a short batch puts back what it took).
 */
class MpmcPoolLincheckTest {

    /** Allocation, handle close and available on the real pool. */
    @Param(name = "t", gen = ThreadIdGen.class)
    public static class Ops extends PoolOps {
        @Override
        Pool<Integer> newPool(PoolConfig<Integer> config) {
            return MpmcPool.create(config);
        }

        @Operation
        public int tryAllocate(@Param(name = "t") int t) {
            return doTryAllocate(t);
        }

        @Operation
        public int allocate(@Param(name = "t") int t) {
            return doAllocate(t);
        }

        @Operation
        public int release(@Param(name = "t") int t) {
            return doRelease(t);
        }

        @Operation
        public int available() {
            return doAvailable();
        }
    }

    /** Allocation and handle close against close of the pool. */
    @Param(name = "t", gen = ThreadIdGen.class)
    public static class ClosingOps extends PoolOps {
        @Override
        Pool<Integer> newPool(PoolConfig<Integer> config) {
            return MpmcPool.create(config);
        }

        @Operation
        public int tryAllocate(@Param(name = "t") int t) {
            return doTryAllocate(t);
        }

        @Operation
        public int allocate(@Param(name = "t") int t) {
            return doAllocate(t);
        }

        @Operation
        public int release(@Param(name = "t") int t) {
            return doRelease(t);
        }

        @Operation
        public void closePool() {
            doClosePool();
        }
    }

    /** The first set on the engine over a racy, non-thread-safe queue. */
    public static class BrokenOps extends Ops {
        @Override
        Pool<Integer> newPool(PoolConfig<Integer> config) {
            return new QueuePool<>(config, "BrokenMpmcPool", new RacyQueue<Slot<Integer>>(CAPACITY), null, false, false);
        }
    }

    @Test
    void shouldBeLinearizableUnderModelChecking() {
        LincheckRuns.modelChecking().check(Ops.class);
    }

    @Test
    void shouldBeLinearizableAgainstPoolCloseUnderModelChecking() {
        LincheckRuns.modelChecking().check(ClosingOps.class);
    }

    @Test
    void shouldBeLinearizableUnderStress() {
        LincheckRuns.stress().check(Ops.class);
    }

    @Test
    void shouldCatchTheBrokenPoolUnderModelChecking() {
        assertThrows(AssertionError.class,
                () -> LincheckRuns.modelCheckingBroken().check(BrokenOps.class));
    }
}
