package io.fastalloc;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Linearizability of {@link ThreadSafePool} against a counter of free objects (model checking and
 * stress), and proof that the same test sees a check-then-act bug in {@link BrokenPool}.
 */
class ThreadSafePoolLincheckTest {
    static final int CAPACITY = 1; // two allocations already race for the last object
    static final int MAX_THREADS = 8; // thread ids: parallel threads, then the init and post parts

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
        public boolean tryAllocate(@Param(gen = ThreadIdGen.class) int tid) {
            Handle<Object> h = pool.tryAllocate();
            if (h == null) {
                return false;
            }
            h.get();
            held[tid].push(h);
            return true;
        }

        @Operation
        public boolean allocate(@Param(gen = ThreadIdGen.class) int tid) {
            try {
                held[tid].push(pool.allocate());
                return true;
            } catch (PoolExhaustedException e) {
                return false;
            }
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
    }

    /** The real pool. */
    public static final class Real extends Ops {
        public Real() {
            super(ThreadSafePool.create(CAPACITY, Object::new));
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

    /** The sequential specification: a count of free objects and of each thread's held handles. */
    public static final class Spec {
        private int free = CAPACITY;
        private final int[] held = new int[MAX_THREADS];

        public boolean tryAllocate(int tid) {
            if (free == 0) {
                return false;
            }
            free--;
            held[tid]++;
            return true;
        }

        public boolean allocate(int tid) {
            return tryAllocate(tid);
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
    }

    private static ModelCheckingOptions modelChecking(int iterations, int invocations) {
        return new ModelCheckingOptions().iterations(iterations).invocationsPerIteration(invocations)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1).sequentialSpecification(Spec.class);
    }

    private static StressOptions stress(int iterations, int invocations) {
        return new StressOptions().iterations(iterations).invocationsPerIteration(invocations)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1).sequentialSpecification(Spec.class);
    }

    @Test
    void shouldBeLinearizableUnderModelChecking() {
        modelChecking(15, 200).check(Real.class);
    }

    @Test
    void shouldBeLinearizableUnderStress() {
        stress(8, 300).check(Real.class);
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
     * under the lock without checking again, so two threads can both take the last object.
     */
    static final class BrokenPool implements Pool<Object> {
        private final ReentrantLock lock = new ReentrantLock();
        private final int capacity;
        private volatile int free;

        private final int yields;

        BrokenPool(int capacity, int yields) {
            this.capacity = capacity;
            this.yields = yields;
            this.free = capacity;
        }

        @Override
        public Handle<Object> tryAllocate() {
            if (free == 0) { // check ...
                return null;
            }
            for (int i = 0; i < yields; i++) {
                Thread.yield(); // widens the window so that stress runs hit it too
            }
            lock.lock();
            try {
                free = free - 1; // ... then act, without checking again
            } finally {
                lock.unlock();
            }
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
            throw new UnsupportedOperationException();
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
        }
    }
}
