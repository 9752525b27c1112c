package io.fastalloc;

import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.KindConfiguration;
import io.fastalloc.testkit.PoolKind;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Linearizability of {@link ThreadSafePool}, made through the registry in each configuration that
 * changes its code, against a counter of free objects (model checking, and stress on the fast path):
 * allocate, tryAllocate, the array batch {@code allocateBatch(out, 0, k)} (taken under one lock
 * acquisition, so exact), close of a held handle, available and close of the pool (every allocation
 * after it refused with {@code IllegalStateException}; handles may still be closed). Also proof
 * that the same test sees a check-then-act bug in {@link BrokenPool}.
 */
@Tag("lincheck") // run apart on JDK 24+: Lincheck calls sun.misc.Unsafe itself (see the parent pom)
class ThreadSafePoolLincheckTest {
    static final int CAPACITY = 1; // two allocations already race for the last object; a batch of 2 falls short
    static final int MAX_THREADS = 8; // thread ids: parallel threads, then the init and post parts
    /** An allocation's answers: it took an object (a batch: how many), none was free, the pool was closed. */
    static final int TAKEN = 1;
    static final int EXHAUSTED = 0;
    static final int CLOSED = -1;

    static Stream<Configuration> paths() {
        return LincheckRuns.paths(PoolKind.THREAD_SAFE);
    }

    /** The operations, on whichever pool a subclass gives. Handles are held per Lincheck thread. */
    public abstract static class Ops {
        private final Pool<Object> pool;
        @SuppressWarnings("unchecked")
        private final ArrayDeque<Handle<Object>>[] held = new ArrayDeque[MAX_THREADS];

        Ops(Pool<Object> pool) {
            this.pool = pool;
            for (int i = 0; i < MAX_THREADS; i++) {
                held[i] = new ArrayDeque<>();
            }
        }

        @Operation
        public int tryAllocate(@Param(gen = ThreadIdGen.class) int tid) {
            Handle<Object> h;
            try {
                h = pool.tryAllocate();
            } catch (IllegalStateException e) {
                return CLOSED;
            }
            if (h == null) {
                return EXHAUSTED;
            }
            h.get();
            held[tid].push(h);
            return TAKEN;
        }

        @Operation
        public int allocate(@Param(gen = ThreadIdGen.class) int tid) {
            try {
                held[tid].push(pool.allocate());
                return TAKEN;
            } catch (PoolExhaustedException e) {
                return EXHAUSTED;
            } catch (IllegalStateException e) {
                return CLOSED;
            }
        }

        /** {@code allocateBatch(out, 0, count)}: answers how many it took, or CLOSED. */
        @Operation
        public int allocateBatch(@Param(gen = ThreadIdGen.class) int tid,
                                 @Param(gen = IntGen.class, conf = "1:2") int count) {
            @SuppressWarnings("unchecked")
            Handle<Object>[] out = (Handle<Object>[]) new Handle<?>[count];
            int n;
            try {
                n = pool.allocateBatch(out, 0, count);
            } catch (IllegalStateException e) {
                return CLOSED;
            }
            for (int i = 0; i < n; i++) {
                out[i].get();
                held[tid].push(out[i]);
            }
            return n;
        }

        @Operation
        public boolean closeHeld(@Param(gen = ThreadIdGen.class) int tid) {
            Handle<Object> h = held[tid].poll();
            if (h == null) {
                return false;
            }
            h.close();
            return true;
        }

        @Operation
        public int available() {
            return pool.available();
        }

        @Operation
        public void closePool() {
            pool.close();
        }
    }

    /** The real pool: the registry's kind in the run's configuration. */
    public static final class Real extends Ops {
        public Real() {
            super(new KindConfiguration(PoolKind.THREAD_SAFE, LincheckRuns.configuration())
                    .create(CAPACITY, Object::new));
        }
    }

    /** A pool whose allocate checks the free count outside the lock, then takes under it. */
    public static final class Broken extends Ops {
        public Broken() {
            super(new BrokenPool(CAPACITY, 1));
        }
    }

    /** The same, its window widened for stress runs (real threads must meet in it). */
    public static final class BrokenWide extends Ops {
        public BrokenWide() {
            super(new BrokenPool(CAPACITY, 50));
        }
    }

    /**
     * The sequential specification: a count of free objects and of each thread's held handles, and
     * whether the pool is closed: then every allocation is refused, even with nothing free.
     */
    public static final class Spec {
        private int free = CAPACITY;
        private final int[] held = new int[MAX_THREADS];
        private boolean closed;

        public int tryAllocate(int tid) {
            return closed ? CLOSED : allocateBatch(tid, 1) == 1 ? TAKEN : EXHAUSTED;
        }

        public int allocate(int tid) {
            return tryAllocate(tid);
        }

        public int allocateBatch(int tid, int count) {
            if (closed) {
                return CLOSED;
            }
            int n = Math.min(count, free);
            free -= n;
            held[tid] += n;
            return n;
        }

        public boolean closeHeld(int tid) {
            if (held[tid] == 0) {
                return false;
            }
            held[tid]--;
            free++;
            return true;
        }

        public int available() {
            return free;
        }

        public void closePool() {
            closed = true;
        }
    }

    private static ModelCheckingOptions modelChecking(int iterations, int invocations) {
        return new ModelCheckingOptions().iterations(iterations).invocationsPerIteration(invocations)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1).sequentialSpecification(Spec.class);
    }

    private static StressOptions stress(int iterations, int invocations) {
        return new StressOptions().iterations(iterations).invocationsPerIteration(invocations)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1).sequentialSpecification(Spec.class);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void shouldBeLinearizableUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, modelChecking(LincheckRuns.iterations(configuration, 5),
                LincheckRuns.invocations(configuration)), Real.class);
    }

    @Test
    void shouldBeLinearizableUnderStress() {
        LincheckRuns.check(Configuration.FAST_PATH, stress(3, 300), Real.class);
    }

    @Test
    void shouldCatchCheckThenActBugUnderModelChecking() {
        assertThrows(AssertionError.class, () -> modelChecking(15, 200).minimizeFailedScenario(false).check(Broken.class));
    }

    @Test
    void shouldCatchCheckThenActBugUnderStress() {
        assertThrows(AssertionError.class, () -> stress(200, 300).minimizeFailedScenario(false).check(BrokenWide.class));
    }

    /**
     * Deliberately broken: {@code tryAllocate} reads the free count without the lock, then takes
     * under the lock without checking again, so two threads can both take the last object. Close and
     * the array batch are right (the closed flag is checked again under the lock; the batch checks
     * and takes under the lock), so that what the test catches is the planted race.
     */
    static final class BrokenPool implements Pool<Object> {
        private final ReentrantLock lock = new ReentrantLock();
        private final int capacity;
        private volatile int free;
        private volatile boolean closed;

        private final int yields;

        BrokenPool(int capacity, int yields) {
            this.capacity = capacity;
            this.yields = yields;
            this.free = capacity;
        }

        @Override
        public Handle<Object> tryAllocate() {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (free == 0) { // check ...
                return null;
            }
            for (int i = 0; i < yields; i++) {
                Thread.yield(); // widens the window so that stress runs hit it too
            }
            lock.lock();
            try {
                if (closed) { // closed is checked again where it matters: a close is not the planted bug
                    throw new IllegalStateException("closed");
                }
                free = free - 1; // ... then act, without checking free again
            } finally {
                lock.unlock();
            }
            return handle();
        }

        private Handle<Object> handle() {
            Object object = new Object();
            return new Handle<>() {
                @Override
                public Object get() {
                    return object;
                }

                @Override
                public void close() {
                    lock.lock();
                    try {
                        free = free + 1;
                    } finally {
                        lock.unlock();
                    }
                }
            };
        }

        @Override
        public Handle<Object> allocate() {
            Handle<Object> h = tryAllocate();
            if (h == null) {
                throw new PoolExhaustedException("broken pool exhausted");
            }
            return h;
        }

        @Override
        public Handle<Object> allocate(long timeout, TimeUnit unit) {
            return allocate();
        }

        @Override
        public List<Handle<Object>> allocateBatch(int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int allocateBatch(Handle<Object>[] out, int offset, int count) {
            int n;
            lock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("closed");
                }
                n = Math.min(count, free);
                free = free - n;
            } finally {
                lock.unlock();
            }
            for (int i = 0; i < n; i++) {
                out[offset + i] = handle();
            }
            return n;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int available() {
            return free;
        }

        @Override
        public int inUse() {
            return capacity - free;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
            } finally {
                lock.unlock();
            }
        }
    }
}
