package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.PlantedBugPool.Bug;
import io.fastalloc.testkit.CountingRecorder;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Each check of {@link ContractCheckers} fails on a pool with its defect planted, and passes on the
 * same pool without it: the checks can fail.
 */
class PlantedBugsTest {

    static ContractCheckers.Maker planted(Bug bug) {
        return new ContractCheckers.Maker() {
            @Override
            public PoolConfig.Builder<Object> builder(int capacity, Supplier<Object> factory) {
                return PoolConfig.<Object>builder().capacity(capacity).factory(factory).checked(false);
            }

            @Override
            public Pool<Object> create(PoolConfig.Builder<Object> builder) {
                return bug == Bug.PLAIN_CLOSED_READ ? new PlantedBugPool.PlainClosedReadPool(builder.build())
                        : new PlantedBugPool<>(builder.build(), bug);
            }
        };
    }

    @Test
    void theControlPoolPassesEveryCheck() throws Exception {
        ContractCheckers.Maker ok = planted(Bug.NONE);
        ContractCheckers.compiledLoopSeesClose("control", ok);
        ContractCheckers.giveBackOfKSlotsWakesKWaiters("control", ok);
        ContractCheckers.batchThatThrowsTakesNothing("control", ok, new CountingRecorder());
        ContractCheckers.recorderMayReadThePool("control", ok, PoolKind.THREAD_SAFE);
        ContractCheckers.timeoutsOfAnyLength("control", ok, PoolKind.THREAD_SAFE);
        ContractCheckers.staleLeaseCaughtAfterWrap("control", ok, PlantedBugPool::advanceGeneration);
        ContractCheckers.deadThreadsSharesComeBack("control", ok, 8);
    }

    @Test
    void theDyingThreadsCheckCatchesSharesThatDieWithTheirThreads() {
        assertThrows(AssertionError.class, () -> ContractCheckers.deadThreadsSharesComeBack("planted",
                planted(Bug.DEAD_THREADS_KEEP_THEIR_SHARE), 8));
    }

    /**
     * In a JVM of its own, as the real kinds' fast paths are checked: in the test JVM, under load, the
     * JIT may compile the loop only after the close, and then nothing is hoisted.
     */
    @Test
    void theCompiledLoopCheckCatchesAPlainClosedRead() throws Exception {
        String out = CompiledLoopFork.run(CompiledLoopFork.PLANTED, "FAST_PATH");
        org.junit.jupiter.api.Assertions.assertTrue(out.endsWith("exit 1") && out.contains("went on allocating"), out);
    }

    @Test
    void theWaiterCheckCatchesOneSignalPerGiveBack() {
        assertThrows(AssertionFailedError.class,
                () -> ContractCheckers.giveBackOfKSlotsWakesKWaiters("planted", planted(Bug.ONE_SIGNAL_PER_GIVE_BACK)));
    }

    @Test
    void theBatchCheckCatchesABatchThatKeepsWhatItTook() {
        assertThrows(AssertionFailedError.class, () -> ContractCheckers.batchThatThrowsTakesNothing("planted",
                planted(Bug.BATCH_KEEPS_ON_THROW), new CountingRecorder()));
    }

    @Test
    void theRecorderCheckCatchesReadsThatTakeTheCallbacksLock() {
        assertThrows(AssertionFailedError.class, () -> ContractCheckers.recorderMayReadThePool("planted",
                planted(Bug.READS_TAKE_CALLBACK_LOCK), PoolKind.THREAD_SAFE));
    }

    @Test
    void theTimeoutCheckCatchesAnOverflowingDeadline() {
        assertThrows(AssertionFailedError.class, () -> ContractCheckers.timeoutsOfAnyLength("planted",
                planted(Bug.DEADLINE_OVERFLOW), PoolKind.THREAD_SAFE));
    }

    @Test
    void theTimeoutCheckCatchesAnIgnoredNullUnit() {
        assertThrows(AssertionFailedError.class, () -> ContractCheckers.timeoutsOfAnyLength("planted",
                planted(Bug.NULL_UNIT_IGNORED), PoolKind.THREAD_SAFE));
    }

    @Test
    void theGenerationCheckCatchesAWrappingGeneration() {
        assertThrows(AssertionFailedError.class, () -> ContractCheckers.staleLeaseCaughtAfterWrap("planted",
                planted(Bug.WRAPPING_GENERATION), PlantedBugPool::advanceGeneration));
    }
}
