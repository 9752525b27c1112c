package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.internal.Slot;
import io.fastalloc.lockfree.internal.QueuePool;
import org.jctools.queues.SpscArrayQueue;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SpscPool} is linearizable for allocate, tryAllocate, close of a handle and available when
 * its thread roles are kept: all allocations on one thread (Lincheck's
 * {@code nonParallelGroup}), all releases on one thread. Handles pass from the allocating to the releasing
 * thread through a concurrent queue of the harness's own.
 */
class SpscPoolLincheckTest {

    /** The operations on the real pool. */
    public static class Ops extends PoolOps {
        @Override
        Pool<Integer> newPool(PoolConfig<Integer> config) {
            return SpscPool.create(config);
        }

        @Operation(nonParallelGroup = "allocator")
        public int tryAllocate() {
            return doAllocateShared();
        }

        @Operation(nonParallelGroup = "allocator")
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
            return new QueuePool<>(config, "BrokenSpscPool", new RacyQueue<Slot<Integer>>(CAPACITY),
                    new SpscArrayQueue<>(4), true, true);
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
