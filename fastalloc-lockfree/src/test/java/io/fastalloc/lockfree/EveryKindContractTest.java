package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.CountingRecorder;
import io.fastalloc.testkit.KindConfiguration;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The contract checks of {@link ContractCheckers} over the registry: every kind, in every
 * configuration that changes its code ({@link KindConfiguration}). Each check is shown to fail on
 * its planted bug by {@link PlantedBugsTest}.
 */
class EveryKindContractTest {

    static ContractCheckers.Maker maker(KindConfiguration cell) {
        return new ContractCheckers.Maker() {
            @Override
            public PoolConfig.Builder<Object> builder(int capacity, Supplier<Object> factory) {
                return cell.configuration().apply(PoolConfig.<Object>builder().name(cell.toString())
                        .capacity(capacity).factory(factory));
            }

            @Override
            public Pool<Object> create(PoolConfig.Builder<Object> builder) {
                return cell.kind().create(builder.build());
            }
        };
    }

    static List<KindConfiguration> everyKind() {
        return KindConfiguration.all();
    }

    static List<KindConfiguration> everyKindEachPath() {
        return KindConfiguration.distinctPaths();
    }

    static List<KindConfiguration> concurrentKindsEachPath() {
        return KindConfiguration.select(k -> k.threadSafe, true);
    }

    static List<KindConfiguration> manyAllocatorKindsEachPath() {
        return KindConfiguration.select(k -> k.threadSafe && !k.singleAllocator, true);
    }

    @Test
    void theRegistryHoldsEveryKind() {
        assertEquals(9, PoolKind.present().size(), "core and lockfree kinds are all on this module's class path");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("concurrentKindsEachPath")
    void aCompiledAllocateCloseLoopSeesCloseOnEveryConcurrentKind(KindConfiguration cell) throws Exception {
        ContractCheckers.compiledLoopSeesClose(cell.toString(), maker(cell));
    }

    static List<KindConfiguration> concurrentKindsOnTheirFastPath() {
        List<KindConfiguration> cells = new java.util.ArrayList<>();
        for (PoolKind k : PoolKind.concurrent()) {
            cells.add(new KindConfiguration(k, Configuration.FAST_PATH));
        }
        return cells;
    }

    /**
     * The same check in a JVM of its own per kind, where the pool's code has only ever run in this
     * configuration: the profile a user's loop compiles with (see {@link CompiledLoopFork}).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("concurrentKindsOnTheirFastPath")
    void aCompiledLoopInAFreshJvmSeesClose(KindConfiguration cell) throws Exception {
        String out = CompiledLoopFork.run(cell);
        org.junit.jupiter.api.Assertions.assertTrue(out.endsWith("exit 0"), out);
    }

    static List<KindConfiguration> adoptingKindsEachPath() {
        return KindConfiguration.select(k -> k.adoptsDeadThreads, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adoptingKindsEachPath")
    void aDeadThreadsShareComesBackWhileOthersWork(KindConfiguration cell) throws Exception {
        ContractCheckers.deadThreadsSharesComeBack(cell.toString(), maker(cell), 8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manyAllocatorKindsEachPath")
    void aGiveBackOfKSlotsWakesKWaiters(KindConfiguration cell) throws Exception {
        ContractCheckers.giveBackOfKSlotsWakesKWaiters(cell.toString(), maker(cell));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKind")
    void aBatchWhoseFactoryThrowsTakesNothing(KindConfiguration cell) {
        CountingRecorder recorder = cell.configuration() == Configuration.STATISTICS ? new CountingRecorder() : null;
        ContractCheckers.batchThatThrowsTakesNothing(cell.toString(), maker(cell), recorder);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKindEachPath")
    void aRecorderMayReadThePoolFromEveryCallback(KindConfiguration cell) {
        ContractCheckers.recorderMayReadThePool(cell.toString(), maker(cell), cell.kind());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKindEachPath")
    void timeoutsOfAnyLengthAndANullUnit(KindConfiguration cell) {
        ContractCheckers.timeoutsOfAnyLength(cell.toString(), maker(cell), cell.kind());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKind")
    void aCheckedLeaseIsStaleForGoodAfterItsSlotsGenerationWraps(KindConfiguration cell) {
        ContractCheckers.staleLeaseCaughtAfterWrap(cell.toString(), maker(cell), ContractCheckers::advanceSlot);
    }
}
