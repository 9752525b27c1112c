package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.internal.Slot;
import io.fastalloc.lockfree.internal.QueuePool;
import org.jctools.queues.MpmcArrayQueue;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SpmcPool} is linearizable for allocate, tryAllocate, close of a handle and available when
 * its thread roles are kept: allocations on any thread, all releases on one
 * thread (Lincheck's {@code nonParallelGroup}). Handles pass from the allocating to the releasing
 * thread through a concurrent queue of the harness's own.
 */
class SpmcPoolLincheckTest {

    /** The operations on the real pool. */
    public static class Ops extends PoolOps {
        @Override
        Pool<Integer> newPool(PoolConfig<Integer> config) {
            return SpmcPool.create(config);
        }

        @Operation
        public int tryAllocate() {
            return doAllocateShared();
        }

        @Operation
        public int allocate() {
            return doAllocateShared();
        }

        @Operation(nonParallelGroup = "releaser")
        public void release() {
            doReleaseShared();
        }

        @Operation
        public int available() {
            return doAvailable();
        }
    }

    /** The same operations on the engine over a racy, non-thread-safe queue. */
    public static class BrokenOps extends Ops {
        @Override
        Pool<Integer> newPool(PoolConfig<Integer> config) {
            return new QueuePool<>(config, "BrokenSpmcPool", new RacyQueue<Slot<Integer>>(CAPACITY),
                    new MpmcArrayQueue<>(2), false, true);
        }
    }

    @Test
    void shouldBeLinearizableUnderModelChecking() {
        LincheckRuns.modelChecking().check(Ops.class);
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
