package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.CountingRecorder;
import io.fastalloc.testkit.KindConfiguration;
import io.fastalloc.testkit.PoolKind;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The soak test: every pool kind that any thread may allocate from and release into, under random
 * allocate / tryAllocate / timed allocate / batch / close / foreign-thread close from more threads
 * than cores, with an ownership flag on every object (a thread that gets an object someone else
 * holds fails the run) and exact conservation checked at the end.
 *
 * <p>The kinds and configurations come from the test registry: the kinds are
 * {@link PoolKind#concurrent()} without thread roles ({@link PoolKind#anyThread()}); the single-role
 * kinds are soaked in {@link RoleSoakIT} with their thread roles. Each kind runs in
 * {@link Configuration#FAST_PATH} (the code users' benchmarks run: no reset function, so the hot
 * slot, the queue pools' simple path and the per-thread owner's plain close) and
 * {@link Configuration#RESET}, and in the rest of {@link Configuration#pathsOf} when the time allows
 * every cell at least {@value #MIN_CELL_MILLIS} ms; {@code -Dsoak.configurations=all} or a comma
 * list of names ({@code FAST_PATH,CHECKED}) chooses them instead.
 *
 * <p>Run apart from the unit tests: {@code mvn -B -Psoak -pl fastalloc-lockfree -am verify
 * -Dsoak.seconds=60} (the seconds are shared among every cell, kind x configuration, of this test
 * and {@link RoleSoakIT}).
 */
class SoakIT {
    static final int THREADS = 6;
    static final int CAPACITY = 64;
    /** The configurations every kind is soaked in, whatever the time. */
    static final Set<Configuration> ALWAYS = EnumSet.of(Configuration.FAST_PATH, Configuration.RESET);
    /** The least time per cell at which every path of {@link Configuration#pathsOf} is soaked. */
    static final long MIN_CELL_MILLIS = 5_000L;

    /** A pooled object with an ownership flag. */
    static final class Owned {
        final AtomicInteger holder = new AtomicInteger(-1);
        long uses;
    }

    static long secondsTotal() {
        return Long.getLong("soak.seconds", 60L);
    }

    /**
     * Returns the soak's cells among the concurrent kinds that pass {@code kinds}: each kind in each
     * of its {@link #configurations}.
     *
     * @param kinds which concurrent kinds
     * @return the cells, kind by kind
     */
    static List<KindConfiguration> cells(Predicate<PoolKind> kinds) {
        List<KindConfiguration> cells = new ArrayList<>();
        for (KindConfiguration cell : KindConfiguration.select(k -> k.threadSafe && kinds.test(k), false)) {
            if (configurations(cell.kind()).contains(cell.configuration())) {
                cells.add(cell);
            }
        }
        return cells;
    }

    /**
     * Returns the configurations {@code kind} is soaked in: {@code soak.configurations} when set,
     * else every path of {@link Configuration#pathsOf} if each cell of the whole soak still gets
     * {@link #MIN_CELL_MILLIS}, else {@link #ALWAYS}.
     *
     * @param kind the kind
     * @return the configurations to soak it in
     */
    static Set<Configuration> configurations(PoolKind kind) {
        Set<Configuration> paths = Configuration.pathsOf(kind);
        String chosen = System.getProperty("soak.configurations", "").trim();
        if (chosen.equalsIgnoreCase("all")) {
            return paths;
        }
        if (!chosen.isEmpty()) {
            Set<Configuration> named = EnumSet.noneOf(Configuration.class);
            for (String name : chosen.split(",")) {
                named.add(Configuration.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            }
            return named;
        }
        long allPaths = KindConfiguration.select(k -> k.threadSafe, true).size();
        if (secondsTotal() * 1000L / allPaths >= MIN_CELL_MILLIS) {
            return paths;
        }
        Set<Configuration> always = EnumSet.copyOf(ALWAYS);
        always.retainAll(paths);
        return always;
    }

    /** @return each cell's share of {@code soak.seconds}, shared among this test's and RoleSoakIT's cells; at least 1 s */
    static long millisPerCell() {
        return Math.max(1_000L, secondsTotal() * 1000L / cells(k -> true).size());
    }

    /**
     * @param cell the kind and configuration
     * @param name the pool's name
     * @return the config of {@link Owned} objects in that configuration, reset function counting uses
     */
    static PoolConfig<Owned> config(KindConfiguration cell, String name) {
        return cell.configuration().apply(PoolConfig.<Owned>builder().name(name).capacity(CAPACITY)
                .factory(Owned::new), o -> o.uses++).build();
    }

    @TestFactory
    Stream<DynamicTest> everyObjectComesBackAndNoneIsEverHeldTwice() {
        long millisEach = millisPerCell();
        List<DynamicTest> tests = new ArrayList<>();
        for (KindConfiguration cell : cells(PoolKind::anyThread)) {
            tests.add(DynamicTest.dynamicTest(cell.toString(), () -> soak(cell, millisEach)));
        }
        return tests.stream();
    }

    static void soak(KindConfiguration cell, long millis) throws InterruptedException {
        PoolConfig<Owned> config = config(cell, "soak");
        Pool<Owned> pool = cell.kind().create(config);
        ConcurrentLinkedQueue<Handle<Owned>> handOff = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong operations = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        CountDownLatch done = new CountDownLatch(THREADS);
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            Thread worker = new Thread(() -> {
                try {
                    work(pool, me, handOff, deadline, operations);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "soak-" + t);
            worker.start();
        }
        done.await();
        assertNull(failure.get(), () -> "a worker failed: " + failure.get());
        Handle<Owned> h;
        while ((h = handOff.poll()) != null) {
            release(h);
        }
        // Conservation: every object can be taken again, each exactly once.
        assertEquals(0, pool.inUse(), "nothing is held after the run");
        System.out.printf("soak %s %s: %,d operations, capacity %d, available %d%n", pool, cell.configuration(),
                operations.get(), pool.capacity(), pool.available());
        assertEquals(pool.capacity(), pool.available(), "every object is back");
        assertRecorded(config, -1L);
        pool.close();
    }

    /**
     * In the {@link Configuration#STATISTICS} configuration, checks that the recorder heard one
     * release per allocation (and {@code allocations} of them, when known).
     *
     * @param config      the pool's config
     * @param allocations the allocations the test counted, or -1 when it did not count them
     */
    static void assertRecorded(PoolConfig<?> config, long allocations) {
        if (config.recorder() instanceof CountingRecorder) {
            CountingRecorder heard = (CountingRecorder) config.recorder();
            assertEquals(heard.allocations.get(), heard.releases.get(), "the recorder heard one release per allocation");
            if (allocations >= 0) {
                assertEquals(allocations, heard.allocations.get(), "the recorder heard every allocation");
            }
        }
    }

    private static void take(Handle<Owned> h, int me) {
        int previous = h.get().holder.getAndSet(me);
        if (previous != -1) {
            throw new AssertionError("thread " + me + " got an object held by thread " + previous);
        }
    }

    private static void release(Handle<Owned> h) {
        h.get().holder.set(-1);
        h.close();
    }

    @SuppressWarnings("unchecked")
    private static void work(Pool<Owned> pool, int me, ConcurrentLinkedQueue<Handle<Owned>> handOff, long deadline,
                             AtomicLong operations) throws InterruptedException {
        SplittableRandom r = new SplittableRandom(me * 7919L + System.nanoTime());
        List<Handle<Owned>> held = new ArrayList<>();
        Handle<Owned>[] batch = (Handle<Owned>[]) new Handle<?>[8];
        long ops = 0;
        while (System.nanoTime() < deadline) {
            int op = r.nextInt(10);
            if (op < 3 || held.size() > 6) { // close one, on this thread or hand it to another
                if (!held.isEmpty()) {
                    Handle<Owned> h = held.remove(r.nextInt(held.size()));
                    if (r.nextBoolean()) {
                        release(h);
                    } else {
                        h.get().holder.set(-1);
                        handOff.add(h); // another thread closes it: the foreign-release path
                    }
                }
                Handle<Owned> foreign = handOff.poll();
                if (foreign != null) {
                    foreign.close();
                }
            } else if (op < 5) {
                Handle<Owned> h = pool.tryAllocate();
                if (h != null) {
                    take(h, me);
                    held.add(h);
                }
            } else if (op < 6) {
                try {
                    Handle<Owned> h = pool.allocate();
                    take(h, me);
                    held.add(h);
                } catch (PoolExhaustedException expected) {
                    // exhaustion is a legal answer under load
                }
            } else if (op < 7) {
                try {
                    Handle<Owned> h = pool.allocate(r.nextInt(50), TimeUnit.MICROSECONDS);
                    take(h, me);
                    held.add(h);
                } catch (PoolExhaustedException expected) {
                    // timed out, nothing taken
                }
            } else if (op < 8) {
                int n = pool.allocateBatch(batch, 0, 1 + r.nextInt(batch.length));
                for (int i = 0; i < n; i++) {
                    take(batch[i], me);
                    held.add(batch[i]);
                    batch[i] = null;
                }
            } else if (op < 9) {
                try {
                    List<Handle<Owned>> list = pool.allocateBatch(1 + r.nextInt(4));
                    for (Handle<Owned> h : list) {
                        take(h, me);
                        held.add(h);
                    }
                } catch (PoolExhaustedException expected) {
                    // all or nothing: nothing taken
                }
            } else {
                Handle<Owned> h = pool.tryAllocate();
                if (h != null) {
                    take(h, me);
                    release(h);
                }
            }
            ops++;
        }
        for (Handle<Owned> h : held) {
            release(h);
        }
        operations.addAndGet(ops);
    }
}
