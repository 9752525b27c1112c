package io.fastalloc.bench;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ContenderTest {
    private static final List<String> STORMPOT_TAPS =
            List.of("stormpotSingleThreadedTap", "stormpotThreadSafeTap", "stormpotVirtualThreadSafeTap");

    static List<String> names() {
        List<String> names = new ArrayList<>(Contender.FLOORS);
        names.addAll(Contender.PEERS);
        names.addAll(Contender.VIEWS);
        for (PoolKind kind : PoolKind.all()) {
            names.add(kind.paramName());
        }
        return names;
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyContenderShouldHandOutObjectsAndTakeThemBack(String name) {
        assumeTrue(!STORMPOT_TAPS.contains(name) || Contender.StormpotContender.isStormpot4(),
                name + " needs Stormpot 4.0 (a JDK 21+ build)");
        Contender c = Contender.create(name);
        try {
            Contender.Lane lane = c.lane();
            Map<Object, Boolean> seen = new IdentityHashMap<>();
            for (int i = 0; i < 3 * Contender.CAPACITY; i++) {
                Object o = lane.cycle(i);
                assertTrue(o != null);
                seen.put(o, Boolean.TRUE);
            }
            if (!name.equals("newObject")) {
                assertTrue(seen.size() <= Contender.CAPACITY, name + " reused its objects: " + seen.size());
            } else {
                assertEquals(3 * Contender.CAPACITY, seen.size());
            }
            lane.close();
        } finally {
            c.close();
        }
    }

    @Test
    void shouldRejectAnUnknownContender() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Contender.create("nope"));
        assertTrue(e.getMessage().startsWith("contender: nope (expected: "), e.getMessage());
        assertNull(PoolKind.byName("nope"));
    }

    /**
     * Every name in the {@code @Param} lists of the benchmarks that take pool kinds by name is a floor,
     * a peer, plain {@code new} or a pool kind of the registry, so each still makes its contender.
     */
    @Test
    void everyContenderNamedInABenchmarksParamListShouldExist() throws NoSuchFieldException {
        List<String> named = new ArrayList<>();
        for (Class<?> state : List.of(PeersBenchmark.Shared.class,
                GameEntityScenario.WorldState.class, ParticleScenario.EmitterState.class,
                RequestHandlingScenario.ServerState.class)) {
            named.addAll(List.of(state.getField("contender").getAnnotation(Param.class).value()));
        }
        List<String> pools = List.of(StatsOverheadBenchmark.Setting.class.getField("pool")
                .getAnnotation(Param.class).value());
        named.addAll(pools);
        List<String> known = names();
        for (String name : named) {
            assertTrue(known.contains(name), name + " is a floor, a peer, plain new, a view or a pool kind");
        }
        for (String pool : pools) {
            assertNotNull(PoolKind.byName(pool), pool + " is a pool kind");
        }
        for (String kind : List.of("fixedPool", "growingPool", "threadSafePool", "threadLocalPool", "mpmcPool",
                "spscPool", "mpscPool", "spmcPool", "cachingPool")) {
            assertEquals(kind, PoolKind.byName(kind).paramName(), "the @Param name users pass with -p");
        }
    }

    @Test
    void nettyRecyclerShouldPoolOnFastThreadLocalThreads() throws InterruptedException {
        Contender c = Contender.create("nettyRecycler");
        AtomicReference<Integer> distinct = new AtomicReference<>();
        Thread t = new FastThreadLocalThread(() -> {
            Contender.Lane lane = c.lane();
            Map<Object, Boolean> seen = new IdentityHashMap<>();
            for (int i = 0; i < 10_000; i++) {
                seen.put(lane.cycle(i), Boolean.TRUE);
            }
            distinct.set(seen.size());
        });
        t.start();
        t.join();
        assertEquals(1, distinct.get(), "one object, recycled every time");
    }

    @Test
    void nettyPinnedShouldPoolOnPlainThreads() {
        Contender c = Contender.create("nettyPinned");
        Contender.Lane lane = c.lane();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            seen.put(lane.cycle(i), Boolean.TRUE);
        }
        assertEquals(1, seen.size(), "one object, recycled every time, on a plain thread too");
    }

    @Test
    void stormpotTapsShouldSayTheyNeedStormpot4OnStormpot3() {
        assumeFalse(Contender.StormpotContender.isStormpot4(), "this build has Stormpot 4.0");
        for (String name : STORMPOT_TAPS) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Contender.create(name));
            assertTrue(e.getMessage().contains("needs Stormpot 4.0: build fastalloc-bench on JDK 21+"), e.getMessage());
        }
    }

    @Test
    void sharedStormpotTapsShouldServeSeveralThreads() throws InterruptedException {
        assumeTrue(Contender.StormpotContender.isStormpot4(), "Stormpot 4.0's taps (a JDK 21+ build)");
        for (String name : List.of("stormpotThreadSafeTap", "stormpotVirtualThreadSafeTap")) {
            Contender c = Contender.create(name);
            try {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    threads.add(new Thread(() -> {
                        try {
                            Contender.Lane lane = c.lane();
                            for (int i = 0; i < 10_000; i++) {
                                assertNotNull(lane.cycle(i));
                            }
                        } catch (Throwable e) {
                            failure.set(e);
                        }
                    }));
                }
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join();
                }
                assertNull(failure.get(), name);
            } finally {
                c.close();
            }
        }
    }

    @Test
    void fastThreadLocalExecutorShouldRunTasksOnFastThreadLocalThreads() throws Exception {
        FastThreadLocalExecutor executor = new FastThreadLocalExecutor(2, "test");
        try {
            Thread worker = executor.submit(Thread::currentThread).get();
            assertTrue(worker instanceof FastThreadLocalThread);
            assertTrue(worker.getName().startsWith("test-jmh-worker-"), worker.getName());
        } finally {
            executor.shutdownNow();
        }
    }
}
