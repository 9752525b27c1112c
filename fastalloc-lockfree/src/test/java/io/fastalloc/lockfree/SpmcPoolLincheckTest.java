package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.internal.Slot;
import io.fastalloc.lockfree.internal.QueuePool;
import io.fastalloc.lockfree.internal.QueueRole;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;
import org.jctools.queues.MpmcArrayQueue;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SpmcPool}, made through the registry in each configuration that changes its code, keeping
 * its thread roles: allocations on any thread, all releases on one thread (Lincheck's
 * {@code nonParallelGroup}). Handles pass from the allocating to the releasing thread through a
 * concurrent queue of the harness's own. Two sets:
 *
 * <ol>
 *   <li>tryAllocate, close of a handle and available, linearizable against counts
 *       ({@link PoolOps.SharedSpec});</li>
 *   <li>tryAllocate, the array batch and close of a handle against close of the pool,
 *       projected ({@link PoolOps.ClosedSpec}): every allocation that starts after {@code close()}
 *       returned is refused, handles may still be closed, no slot has two holders, and at quiescence
 *       the pool counts as free exactly what no handle holds.</li>
 * </ol>
 *
 * <p>The second set answers no counts: batches on two allocating threads take their objects one by
 * one and may split the free objects between them, and an allocation refused by a racing
 * {@code close()} takes an object for a moment, which another allocating thread sees as exhaustion.
 * The exact check of the latter ({@link ExactClosingOps}, found failing in checked mode) is kept,
 * disabled, until that is fixed.
 */
@Tag("lincheck") // run apart on JDK 24+: Lincheck calls sun.misc.Unsafe itself (see the parent pom)
class SpmcPoolLincheckTest {

    static Stream<Configuration> paths() {
        return LincheckRuns.paths(PoolKind.SPMC);
    }

    /** Allocation, handle close and available. */
    public static class Ops extends PoolOps {
        @Override
        PoolKind kind() {
            return PoolKind.SPMC;
        }

        @Operation
        public int tryAllocate() {
            return doAllocateShared();
        }

        @Operation(nonParallelGroup = "releaser")
        public int release() {
            return doReleaseShared();
        }

        @Operation
        public int available() {
            return doAvailable();
        }
    }

    /** Allocation, batches and handle close against close of the pool, projected. */
    public static class ClosingOps extends PoolOps {
        @Override
        PoolKind kind() {
            return PoolKind.SPMC;
        }

        @Operation
        public int tryAllocate() {
            return projected(doAllocateShared());
        }

        @Operation
        public int allocateBatch(@Param(gen = IntGen.class, conf = "1:2") int count) {
            return projected(doAllocateBatchShared(count));
        }

        @Operation(nonParallelGroup = "releaser")
        public int release() {
            return projected(doReleaseShared());
        }

        @Operation
        public void closePool() {
            doClosePool();
        }
    }

    /** Allocation and handle close against close of the pool, answering counts (exact). */
    public static class ExactClosingOps extends PoolOps {
        @Override
        PoolKind kind() {
            return PoolKind.SPMC;
        }

        @Operation
        public int tryAllocate() {
            return doAllocateShared();
        }

        @Operation(nonParallelGroup = "releaser")
        public int release() {
            return doReleaseShared();
        }

        @Operation
        public void closePool() {
            doClosePool();
        }
    }

    /** The first set on the engine over a racy, non-thread-safe queue. */
    public static class BrokenOps extends Ops {
        @Override
        Pool<Item> newPool(PoolConfig.Builder<Item> builder, Configuration configuration) {
            return new QueuePool<>(configuration.apply(builder).build(), QueueRole.SPMC, "BrokenSpmcPool",
                    new RacyQueue<Slot<Item>>(CAPACITY), new MpmcArrayQueue<>(2));
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void shouldBeLinearizableUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, LincheckRuns.modelChecking(PoolKind.SPMC, configuration)
                .sequentialSpecification(PoolOps.SharedSpec.class), Ops.class);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void shouldRefuseEveryAllocationAfterCloseWithBatchesUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, LincheckRuns.modelChecking(PoolKind.SPMC, configuration)
                .sequentialSpecification(PoolOps.ClosedSpec.class), ClosingOps.class);
    }

    @Disabled("fails: an allocation refused by close() takes an object and puts it back, which a concurrent "
            + "allocation sees as exhaustion (QueuePool's re-check of closed); enable when allocation, close of a "
            + "handle and close of the pool are linearizable")
    @ParameterizedTest
    @MethodSource("paths")
    void shouldBeLinearizableAgainstPoolCloseUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, LincheckRuns.modelChecking(PoolKind.SPMC, configuration)
                .sequentialSpecification(PoolOps.SharedSpec.class), ExactClosingOps.class);
    }

    @Test
    void shouldBeLinearizableUnderStress() {
        LincheckRuns.check(Configuration.FAST_PATH,
                LincheckRuns.stress().sequentialSpecification(PoolOps.SharedSpec.class), Ops.class);
    }

    @Test
    void shouldRefuseEveryAllocationAfterCloseWithBatchesUnderStress() {
        LincheckRuns.check(Configuration.FAST_PATH,
                LincheckRuns.stress().sequentialSpecification(PoolOps.ClosedSpec.class), ClosingOps.class);
    }

    @Test
    void shouldCatchTheBrokenPoolUnderModelChecking() {
        assertThrows(AssertionError.class, () -> LincheckRuns.check(Configuration.FAST_PATH,
                LincheckRuns.modelCheckingBroken().sequentialSpecification(PoolOps.SharedSpec.class),
                BrokenOps.class));
    }
}
