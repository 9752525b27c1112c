package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.internal.Slot;
import io.fastalloc.lockfree.internal.QueuePool;
import io.fastalloc.lockfree.internal.QueueRole;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.stream.Stream;

import static io.fastalloc.lockfree.PoolOps.CAPACITY;
import static io.fastalloc.lockfree.PoolOps.CLOSED;
import static io.fastalloc.lockfree.PoolOps.EXHAUSTED;
import static io.fastalloc.lockfree.PoolOps.NOT_HELD;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link MpmcPool}, made through the registry in each configuration that changes its code
 * ({@link Configuration#pathsOf}), model-checked in two sets of operations:
 *
 * <ol>
 *   <li>allocate, tryAllocate, close of a handle (by its owner) and available, linearizable against a
 *       FIFO queue of slots ({@link FifoSpec}: first released, first reused);</li>
 *   <li>allocate, tryAllocate, the array batch {@code allocateBatch(out, 0, k)} and close of a handle
 *       against close of the pool, projected ({@link PoolOps.ClosedSpec}): every allocation that
 *       starts after {@code close()} returned is refused with {@code IllegalStateException}, handles
 *       may still be closed, no slot has two holders, and at quiescence the pool counts as free
 *       exactly what no handle holds.</li>
 * </ol>
 *
 * <p>Why the second set answers neither slots nor exhaustion: a batch takes its objects one by one
 * (the contract says "up to {@code count}"), so two overlapping batches may split the free objects
 * between them, and {@code available()} or another allocation may see a batch half done; and an
 * allocation refused by a racing {@code close()} takes an object and puts it back at the tail,
 * which a concurrent allocation sees as exhaustion or as a reordered queue. The exact check of the
 * latter ({@link ExactClosingOps}, found failing on the fast path) is kept, disabled, until that is
 * fixed.
 */
@Tag("lincheck") // run apart on JDK 24+: Lincheck calls sun.misc.Unsafe itself (see the parent pom)
class MpmcPoolLincheckTest {

    static Stream<Configuration> paths() {
        return LincheckRuns.paths(PoolKind.MPMC);
    }

    /** Allocation, handle close and available, answering slot indices. */
    @Param(name = "t", gen = ThreadIdGen.class)
    public static class Ops extends PoolOps {
        @Override
        PoolKind kind() {
            return PoolKind.MPMC;
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

    /**
     * Allocation, the array batch and handle close against close of the pool, projected
     * ({@link PoolOps#projected}): close and double release are exact, exhaustion is not answered.
     */
    @Param(name = "t", gen = ThreadIdGen.class)
    public static class ClosingOps extends PoolOps {
        @Override
        PoolKind kind() {
            return PoolKind.MPMC;
        }

        @Operation
        public int tryAllocate(@Param(name = "t") int t) {
            return projected(doTryAllocate(t));
        }

        @Operation
        public int allocate(@Param(name = "t") int t) {
            return projected(doAllocate(t));
        }

        @Operation
        public int allocateBatch(@Param(name = "t") int t, @Param(gen = IntGen.class, conf = "1:2") int count) {
            return projected(doAllocateBatch(t, count));
        }

        @Operation
        public int release(@Param(name = "t") int t) {
            return projected(doRelease(t));
        }

        @Operation
        public void closePool() {
            doClosePool();
        }
    }

    /** Allocation and handle close against close of the pool, answering slot indices (exact). */
    @Param(name = "t", gen = ThreadIdGen.class)
    public static class ExactClosingOps extends PoolOps {
        @Override
        PoolKind kind() {
            return PoolKind.MPMC;
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
        Pool<Item> newPool(PoolConfig.Builder<Item> builder, Configuration configuration) {
            return new QueuePool<>(configuration.apply(builder).build(), QueueRole.MPMC, "BrokenMpmcPool",
                    new RacyQueue<Slot<Item>>(CAPACITY), null);
        }
    }

    /**
     * The specification of the slot sets: the free slots in a FIFO queue (first released, first
     * reused), in index order at first; each thread's handles oldest first; allocations refused once
     * the pool is closed.
     */
    public static class FifoSpec {
        private final ArrayDeque<Integer> free = new ArrayDeque<>();
        @SuppressWarnings("unchecked")
        private final ArrayDeque<Integer>[] held = (ArrayDeque<Integer>[]) new ArrayDeque<?>[4];
        private boolean closed;

        public FifoSpec() {
            for (int i = 0; i < CAPACITY; i++) {
                free.add(i);
            }
            for (int t = 0; t < held.length; t++) {
                held[t] = new ArrayDeque<>();
            }
        }

        public int tryAllocate(int t) {
            if (closed) {
                return CLOSED;
            }
            Integer id = free.poll();
            if (id == null) {
                return EXHAUSTED;
            }
            held[t].add(id);
            return id;
        }

        public int allocate(int t) {
            return tryAllocate(t);
        }

        public int release(int t) {
            Integer id = held[t].poll();
            if (id == null) {
                return NOT_HELD;
            }
            free.add(id);
            return id;
        }

        public int available() {
            return free.size();
        }

        public void closePool() {
            closed = true;
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void shouldBeLinearizableUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, LincheckRuns.modelChecking(PoolKind.MPMC, configuration)
                .sequentialSpecification(FifoSpec.class), Ops.class);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void shouldRefuseEveryAllocationAfterCloseWithBatchesUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, LincheckRuns.modelChecking(PoolKind.MPMC, configuration)
                .sequentialSpecification(PoolOps.ClosedSpec.class), ClosingOps.class);
    }

    @Disabled("fails: an allocation refused by close() takes an object and puts it back at the tail, "
            + "which a concurrent allocation sees as exhaustion or as a reordered queue (QueuePool's re-check of "
            + "closed); the package documentation states this exception to linearizability (guarantee 2); "
            + "enable if close of the pool is made linearizable with allocation")
    @ParameterizedTest
    @MethodSource("paths")
    void shouldBeLinearizableAgainstPoolCloseUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, LincheckRuns.modelChecking(PoolKind.MPMC, configuration)
                .sequentialSpecification(FifoSpec.class), ExactClosingOps.class);
    }

    @Test
    void shouldBeLinearizableUnderStress() {
        LincheckRuns.check(Configuration.FAST_PATH, LincheckRuns.stress().sequentialSpecification(FifoSpec.class),
                Ops.class);
    }

    @Test
    void shouldRefuseEveryAllocationAfterCloseWithBatchesUnderStress() {
        LincheckRuns.check(Configuration.FAST_PATH,
                LincheckRuns.stress().sequentialSpecification(PoolOps.ClosedSpec.class), ClosingOps.class);
    }

    @Test
    void shouldCatchTheBrokenPoolUnderModelChecking() {
        assertThrows(AssertionError.class, () -> LincheckRuns.check(Configuration.FAST_PATH,
                LincheckRuns.modelCheckingBroken().sequentialSpecification(FifoSpec.class), BrokenOps.class));
    }
}
