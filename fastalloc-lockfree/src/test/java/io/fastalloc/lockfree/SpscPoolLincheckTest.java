package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.internal.Slot;
import io.fastalloc.lockfree.internal.QueuePool;
import io.fastalloc.lockfree.internal.QueueRole;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;
import org.jctools.queues.SpscArrayQueue;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SpscPool}, made through the registry in each configuration that changes its code, is
 * linearizable when its thread roles are kept: all allocations on one thread (Lincheck's
 * {@code nonParallelGroup}), all releases on one thread. Handles pass from the allocating to the
 * releasing thread through a concurrent queue of the harness's own.
 *
 * <p>Two sets, both against counts ({@link PoolOps.SharedSpec}): tryAllocate, close of a handle
 * and available; and tryAllocate, the array batch {@code allocateBatch(out, 0, k)} and close of a
 * handle against close of the pool (every allocation after it refused with
 * {@code IllegalStateException}; handles may still be closed). With one allocating thread a batch
 * races only with releases and close, so its count is exact. The sets are apart because
 * {@code available()} may see an allocation that races with {@code close()} take a slot and put it
 * back, or a batch half done.
 */
@Tag("lincheck") // run apart on JDK 24+: Lincheck calls sun.misc.Unsafe itself (see the parent pom)
class SpscPoolLincheckTest {

    static Stream<Configuration> paths() {
        return LincheckRuns.paths(PoolKind.SPSC);
    }

    /** Allocation, handle close and available. */
    public static class Ops extends PoolOps {
        @Override
        PoolKind kind() {
            return PoolKind.SPSC;
        }

        @Operation(nonParallelGroup = "allocator")
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

    /** Allocation, batches and handle close against close of the pool. */
    public static class ClosingOps extends PoolOps {
        @Override
        PoolKind kind() {
            return PoolKind.SPSC;
        }

        @Operation(nonParallelGroup = "allocator")
        public int tryAllocate() {
            return doAllocateShared();
        }

        @Operation(nonParallelGroup = "allocator")
        public int allocateBatch(@Param(gen = IntGen.class, conf = "1:2") int count) {
            return doAllocateBatchShared(count);
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
            return new QueuePool<>(configuration.apply(builder).build(), QueueRole.SPSC, "BrokenSpscPool",
                    new RacyQueue<Slot<Item>>(CAPACITY), new SpscArrayQueue<>(4));
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void shouldBeLinearizableUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, LincheckRuns.modelChecking(PoolKind.SPSC, configuration)
                .sequentialSpecification(PoolOps.SharedSpec.class), Ops.class);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void shouldBeLinearizableWithBatchesAgainstPoolCloseUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, LincheckRuns.modelChecking(PoolKind.SPSC, configuration)
                .sequentialSpecification(PoolOps.SharedSpec.class), ClosingOps.class);
    }

    @Test
    void shouldBeLinearizableUnderStress() {
        LincheckRuns.check(Configuration.FAST_PATH,
                LincheckRuns.stress().sequentialSpecification(PoolOps.SharedSpec.class), Ops.class);
    }

    @Test
    void shouldBeLinearizableWithBatchesAgainstPoolCloseUnderStress() {
        LincheckRuns.check(Configuration.FAST_PATH,
                LincheckRuns.stress().sequentialSpecification(PoolOps.SharedSpec.class), ClosingOps.class);
    }

    @Test
    void shouldCatchTheBrokenPoolUnderModelChecking() {
        assertThrows(AssertionError.class, () -> LincheckRuns.check(Configuration.FAST_PATH,
                LincheckRuns.modelCheckingBroken().sequentialSpecification(PoolOps.SharedSpec.class),
                BrokenOps.class));
    }
}
