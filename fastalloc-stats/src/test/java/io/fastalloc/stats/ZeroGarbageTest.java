package io.fastalloc.stats;

import io.fastalloc.FixedPool;
import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ZeroGarbageTest {
    private static final int PAIRS = 100_000;

    // com.sun.management.ThreadMXBean.getThreadAllocatedBytes(long), reached through a method
    // handle: the test sources compile inside module io.fastalloc.stats, which does not read
    // jdk.management; invokeExact returns a primitive long, so reading allocates nothing
    private static final MethodHandle ALLOCATED_BYTES;

    static {
        try {
            Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
            ALLOCATED_BYTES = MethodHandles.publicLookup()
                    .findVirtual(type, "getThreadAllocatedBytes", MethodType.methodType(long.class, long.class))
                    .bindTo(ManagementFactory.getThreadMXBean());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocatedBytes() {
        try {
            return (long) ALLOCATED_BYTES.invokeExact(Thread.currentThread().getId());
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static long run(Pool<Object> pool, int pairs) {
        long sum = 0;
        for (int i = 0; i < pairs; i++) {
            Handle<Object> h = pool.allocate();
            sum += h.get().hashCode() & 1;
            h.close();
        }
        return sum;
    }

    private static long minBytes(Runnable work) {
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && best != 0; attempt++) {
            long before = allocatedBytes();
            work.run();
            best = Math.min(best, allocatedBytes() - before);
        }
        return best;
    }

    @Test
    void shouldAllocateNothingForAllocateAndCloseWithStatisticsOn() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder();
            FixedPool<Object> pool = FixedPool.create(PoolConfig.builder().name("zero").capacity(16)
                    .factory(Object::new).checked(false).recorder(recorder).build());
            run(pool, 200_000);
            long[] sink = new long[1];
            long bytes = minBytes(() -> sink[0] += run(pool, PAIRS));
            assertEquals(0, bytes, "bytes allocated by " + PAIRS + " allocate + close pairs with statistics on");
            assertEquals(recorder.statistics().totalAllocations(), recorder.statistics().totalReleases());
            assertEquals(sink[0] >= 0, true);
        }
    }

    @Test
    void shouldAllocateNothingWithTheWriteThroughRecorderOrWhenPublishing() {
        try (StatsRegistry stats = StatsRegistry.builder().publishInterval(java.time.Duration.ZERO).build();
             StatsRegistry lazy = StatsRegistry.inProcess()) {
            FixedPool<Object> pool = FixedPool.create(PoolConfig.builder().name("direct").capacity(16)
                    .factory(Object::new).checked(false).recorder(stats.recorder()).build());
            FixedPool.create(PoolConfig.builder().name("lazy").capacity(16)
                    .factory(Object::new).checked(false).recorder(lazy.recorder()).build());
            run(pool, 200_000);
            long[] sink = new long[1];
            assertEquals(0, minBytes(() -> sink[0] += run(pool, PAIRS)), "write-through recorder");
            Runnable publish = () -> {
                for (int i = 0; i < 10_000; i++) {
                    lazy.publish();
                }
            };
            publish.run();
            assertEquals(0, minBytes(publish), "publish");
        }
    }

    @Test
    void shouldAllocateNothingWithEitherConcurrentRecorderAfterTheThreadsFirstEvent() {
        try (StatsRegistry striped = StatsRegistry.inProcess();
             StatsRegistry atomic = StatsRegistry.builder().publishInterval(java.time.Duration.ZERO).build()) {
            for (StatsRegistry stats : new StatsRegistry[] {striped, atomic}) {
                PoolStats recorder = stats.concurrentRecorder();
                FixedPool<Object> pool = FixedPool.create(PoolConfig.builder().name("concurrent").capacity(16)
                        .factory(Object::new).checked(false).recorder(recorder).build());
                PoolStatistics target = new PoolStatistics();
                run(pool, 200_000);
                long[] sink = new long[1];
                assertEquals(0, minBytes(() -> {
                    sink[0] += run(pool, PAIRS);
                    recorder.snapshotInto(target);
                    stats.publish();
                }), recorder.getClass().getSimpleName());
                assertEquals(0, target.currentUsage());
            }
        }
    }

    @Test
    void shouldAllocateNothingOnEveryPoolKindWithItsRecorder() {
        for (StatsPoolKind kind : StatsPoolKind.values()) {
            for (java.time.Duration interval : new java.time.Duration[] {java.time.Duration.ofMillis(100),
                java.time.Duration.ZERO}) {
                try (StatsRegistry stats = StatsRegistry.builder().publishInterval(interval).build()) {
                    PoolStats recorder = kind.recorder(stats);
                    Pool<Object> pool = kind.create(PoolConfig.builder().name("zero-" + kind).capacity(16)
                            .factory(Object::new).checked(false).recorder(recorder).build());
                    run(pool, 200_000);
                    long[] sink = new long[1];
                    assertEquals(0, minBytes(() -> sink[0] += run(pool, PAIRS)),
                            kind + " with " + recorder.getClass().getSimpleName());
                    assertEquals(recorder.statistics().totalAllocations(), recorder.statistics().totalReleases());
                }
            }
        }
    }

    /**
     * Recording a wait's start and end (the count of waiting threads, the JFR hooks) allocates
     * nothing while no recording enables {@link PoolWaitEvent}, in every flavour.
     */
    @Test
    void shouldAllocateNothingToRecordWaitsWhileJfrIsOff() {
        try (StatsRegistry lazy = StatsRegistry.inProcess();
             StatsRegistry direct = StatsRegistry.builder().publishInterval(java.time.Duration.ZERO).build()) {
            int n = 0;
            for (StatsRegistry stats : new StatsRegistry[] {lazy, direct}) {
                for (PoolStats recorder : new PoolStats[] {stats.recorder(), stats.concurrentRecorder()}) {
                    FixedPool.create(PoolConfig.builder().name("waits-" + n++).capacity(1)
                            .factory(Object::new).checked(false).recorder(recorder).build());
                    Runnable work = () -> {
                        for (int i = 0; i < PAIRS; i++) {
                            recorder.onWaitStart();
                            recorder.onWait(i);
                        }
                    };
                    work.run();
                    work.run();
                    assertEquals(0, minBytes(work), "bytes allocated by waits with " + recorder.getClass().getSimpleName());
                    assertEquals(0, recorder.waitingThreads());
                    assertEquals(3L * PAIRS, recorder.value(PoolCounter.WAITS));
                }
            }
        }
    }

    @Test
    void shouldAllocateNothingForExhaustionAndSnapshotInto() {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = stats.recorder();
            FixedPool<Object> pool = FixedPool.create(PoolConfig.builder().name("empty").capacity(1)
                    .factory(Object::new).checked(false).recorder(recorder).build());
            pool.allocate();
            PoolStatistics target = new PoolStatistics();
            PoolStatistics copy = new PoolStatistics();
            Runnable work = () -> {
                for (int i = 0; i < PAIRS; i++) {
                    pool.tryAllocate();
                    recorder.snapshotInto(target).copyInto(copy);
                }
            };
            work.run();
            work.run();
            assertEquals(0, minBytes(work), "bytes allocated by exhaustion and snapshotInto");
            assertEquals(target.exhaustions(), copy.exhaustions());
        }
    }
}
