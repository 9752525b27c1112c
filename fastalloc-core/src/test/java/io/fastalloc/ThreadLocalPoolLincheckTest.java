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
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Linearizability of {@link ThreadLocalPool}, made through the registry in each configuration that
 * changes its code, against one free count per thread (model checking, and stress on the fast path),
 * including the foreign-release path: a thread publishes a handle to a mailbox and another thread
 * closes it; the array batch {@code allocateBatch(out, 0, k)} (from the calling thread's part: only
 * foreign closes add to it meanwhile, so its count is exact); and close of the pool (every
 * allocation after it refused with {@code IllegalStateException}, handles may still be closed on
 * either thread). Also shows that the same test sees a return stack that reads and then writes its
 * head instead of using CAS / getAndSet ({@link BrokenLocalPool}).
 *
 * <p>{@link ThreadLocalPool#available()} is not an operation here: it sums the parts without
 * synchronising with their owners, so it is only an estimate while they work (its javadoc says so).
 * It is checked at quiescence instead, by a {@link Validate} function after every run.
 */
@Tag("lincheck") // run apart on JDK 24+: Lincheck calls sun.misc.Unsafe itself (see the parent pom)
class ThreadLocalPoolLincheckTest {
    static final int CAPACITY = 1; // per thread: one publish plus one allocate already exhaust a part
    static final int THREADS = 2; // Lincheck thread ids are used modulo this
    /** An allocation's answers: it took an object (a batch: how many), none was free, the pool was closed. */
    static final int TAKEN = 1;
    static final int EXHAUSTED = 0;
    static final int CLOSED = -1;

    static Stream<Configuration> paths() {
        return LincheckRuns.paths(PoolKind.THREAD_LOCAL);
    }

    /** A single-producer single-consumer mailbox: its owner publishes, one other thread takes. */
    static final class Mailbox {
        private final AtomicReferenceArray<Handle<Object>> ring = new AtomicReferenceArray<>(32);
        private volatile int head; // written by the producer
        private int tail; // consumer only

        void put(Handle<Object> h) {
            ring.set(head & 31, h);
            head = head + 1;
        }

        Handle<Object> take() {
            if (tail == head) {
                return null;
            }
            Handle<Object> h = ring.get(tail & 31);
            ring.set(tail & 31, null);
            tail++;
            return h;
        }

        int size() {
            return head - tail;
        }
    }

    /** The operations, on whichever pool a subclass gives. */
    public abstract static class Ops {
        private final Pool<Object> pool;
        @SuppressWarnings("unchecked")
        private final ArrayDeque<Handle<Object>>[] own = new ArrayDeque[THREADS];
        private final Mailbox[] boxes = new Mailbox[THREADS];

        Ops(Pool<Object> pool) {
            this.pool = pool;
            for (int i = 0; i < THREADS; i++) {
                own[i] = new ArrayDeque<>();
                boxes[i] = new Mailbox();
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
            own[tid % THREADS].push(h);
            return TAKEN;
        }

        @Operation
        public int allocate(@Param(gen = ThreadIdGen.class) int tid) {
            try {
                own[tid % THREADS].push(pool.allocate());
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
                own[tid % THREADS].push(out[i]);
            }
            return n;
        }

        /** Closes a handle this thread allocated (the owner's path). */
        @Operation
        public boolean closeOwn(@Param(gen = ThreadIdGen.class) int tid) {
            Handle<Object> h = own[tid % THREADS].poll();
            if (h == null) {
                return false;
            }
            h.close();
            return true;
        }

        /** Allocates a handle and hands it to the next thread, which will close it. */
        @Operation
        public int publish(@Param(gen = ThreadIdGen.class) int tid) {
            Handle<Object> h;
            try {
                h = pool.tryAllocate();
            } catch (IllegalStateException e) {
                return CLOSED;
            }
            if (h == null) {
                return EXHAUSTED;
            }
            boxes[tid % THREADS].put(h);
            return TAKEN;
        }

        /** Closes a handle the previous thread allocated (the foreign-release path). */
        @Operation
        public boolean closeForeign(@Param(gen = ThreadIdGen.class) int tid) {
            Handle<Object> h = boxes[(tid % THREADS + 1) % THREADS].take();
            if (h == null) {
                return false;
            }
            h.close();
            return true;
        }

        @Operation
        public void closePool() {
            pool.close();
        }

        /** At quiescence the counts are exact: every object is either held by the test or free. */
        @Validate
        public void countsAddUp() {
            if (!(pool instanceof ThreadLocalPool)) {
                return; // the broken pool keeps no counts: it must fail on the operations alone
            }
            int held = 0;
            for (int i = 0; i < THREADS; i++) {
                held += own[i].size() + boxes[i].size();
            }
            if (pool.inUse() != held || pool.available() + pool.inUse() != pool.capacity()) {
                throw new IllegalStateException("held " + held + " but pool says inUse " + pool.inUse()
                        + ", available " + pool.available() + ", capacity " + pool.capacity());
            }
        }
    }

    /** The real pool: the registry's kind in the run's configuration. */
    public static final class Real extends Ops {
        public Real() {
            super(new KindConfiguration(PoolKind.THREAD_LOCAL, LincheckRuns.configuration())
                    .create(CAPACITY, Object::new));
        }
    }

    /**
     * The same with two objects per thread, so the held top moves off the list (the fast path's
     * STACK list).
     */
    public static final class RealTwo extends Ops {
        public RealTwo() {
            super(new KindConfiguration(PoolKind.THREAD_LOCAL, LincheckRuns.configuration()).create(2, Object::new));
        }
    }

    /** A per-thread pool whose return stack reads and then writes its head (lost updates). */
    public static final class Broken extends Ops {
        public Broken() {
            super(new BrokenLocalPool(1));
        }
    }

    /** The same, its windows widened for stress runs (real threads must meet in them). */
    public static final class BrokenWide extends Ops {
        public BrokenWide() {
            super(new BrokenLocalPool(50));
        }
    }

    /**
     * The sequential specification: per thread, free objects, own handles and published handles; and
     * whether the pool is closed: then every allocation is refused, even with nothing free.
     */
    public static class Spec {
        private final int[] free = new int[THREADS];
        private final int[] own = new int[THREADS];
        private final int[] box = new int[THREADS];
        private boolean closed;

        public Spec() {
            this(CAPACITY);
        }

        Spec(int capacity) {
            java.util.Arrays.fill(free, capacity);
        }

        private int take(int tid, int count) {
            int n = Math.min(count, free[tid % THREADS]);
            free[tid % THREADS] -= n;
            return n;
        }

        public int tryAllocate(int tid) {
            return allocateBatch(tid, 1) == 1 ? TAKEN : closed ? CLOSED : EXHAUSTED;
        }

        public int allocate(int tid) {
            return tryAllocate(tid);
        }

        public int allocateBatch(int tid, int count) {
            if (closed) {
                return CLOSED;
            }
            int n = take(tid, count);
            own[tid % THREADS] += n;
            return n;
        }

        public boolean closeOwn(int tid) {
            if (own[tid % THREADS] == 0) {
                return false;
            }
            own[tid % THREADS]--;
            free[tid % THREADS]++;
            return true;
        }

        public int publish(int tid) {
            if (closed) {
                return CLOSED;
            }
            if (take(tid, 1) == 0) {
                return EXHAUSTED;
            }
            box[tid % THREADS]++;
            return TAKEN;
        }

        public boolean closeForeign(int tid) {
            int from = (tid % THREADS + 1) % THREADS;
            if (box[from] == 0) {
                return false;
            }
            box[from]--;
            free[from]++;
            return true;
        }

        public void closePool() {
            closed = true;
        }
    }

    /** The same specification with two objects per thread. */
    public static final class SpecTwo extends Spec {
        public SpecTwo() {
            super(2);
        }
    }

    // Thread ids must be the real threads that own the parts, so there are no init and post parts.
    // close() clears the whole part table (256 entries) in one loop, past Lincheck's default loop
    // bound (50), which would take it for a livelock.
    private static ModelCheckingOptions modelChecking(int iterations, int invocations) {
        return new ModelCheckingOptions().iterations(iterations).invocationsPerIteration(invocations)
                .threads(THREADS).actorsPerThread(4).actorsBefore(0).actorsAfter(0).loopBound(300)
                .sequentialSpecification(Spec.class);
    }

    private static StressOptions stress(int iterations, int invocations) {
        return new StressOptions().iterations(iterations).invocationsPerIteration(invocations)
                .threads(THREADS).actorsPerThread(4).actorsBefore(0).actorsAfter(0)
                .sequentialSpecification(Spec.class);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void shouldBeLinearizableUnderModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, modelChecking(LincheckRuns.iterations(configuration, 5),
                LincheckRuns.invocations(configuration)), Real.class);
    }

    @Test
    void shouldBeLinearizableWithTwoPerThreadUnderModelChecking() {
        LincheckRuns.check(Configuration.FAST_PATH,
                modelChecking(3, 100).sequentialSpecification(SpecTwo.class), RealTwo.class);
    }

    @Test
    void shouldBeLinearizableUnderStress() {
        LincheckRuns.check(Configuration.FAST_PATH, stress(4, 200), Real.class);
    }

    @Test
    void shouldCatchLostUpdateOnReturnStackUnderModelChecking() {
        assertThrows(AssertionError.class,
                () -> modelChecking(100, 200).minimizeFailedScenario(false).check(Broken.class));
    }

    @Test
    void shouldCatchLostUpdateOnReturnStackUnderStress() {
        assertThrows(AssertionError.class,
                () -> stress(200, 300).actorsPerThread(5).minimizeFailedScenario(false).check(BrokenWide.class));
    }

    /**
     * Deliberately broken per-thread pool: like {@link ThreadLocalPool}, but the return stack pushes
     * with a read of the head and a later write, and the owner drains with a read and a later write
     * of {@code null}, so a push that falls between loses objects. Close and the array batch work as
     * the contract says (a volatile closed flag checked first; a batch is allocations one by one from
     * the thread's own part), so that what the test catches is the planted race.
     */
    static final class BrokenLocalPool implements Pool<Object> {
        private final ThreadLocal<Part> local = new ThreadLocal<>();
        private final int yields;
        private volatile boolean closed;

        /** @param yields how many times to yield inside each window */
        BrokenLocalPool(int yields) {
            this.yields = yields;
        }

        void window() {
            for (int i = 0; i < yields; i++) {
                Thread.yield();
            }
        }

        static final class Part {
            final BrokenLocalPool pool;
            final Thread owner = Thread.currentThread();
            final Node[] free = new Node[CAPACITY];
            int size;
            volatile Node returns;

            Part(BrokenLocalPool pool) {
                this.pool = pool;
                for (int i = 0; i < CAPACITY; i++) {
                    free[size++] = new Node(this);
                }
            }
        }

        static final class Node implements Handle<Object> {
            private static final VarHandle HELD;

            static {
                try {
                    HELD = MethodHandles.lookup().findVarHandle(Node.class, "held", boolean.class);
                } catch (ReflectiveOperationException e) {
                    throw new ExceptionInInitializerError(e);
                }
            }

            final Part part;
            final Object object = new Object();
            Node next;
            volatile boolean held;

            Node(Part part) {
                this.part = part;
            }

            @Override
            public Object get() {
                return object;
            }

            @Override
            public void close() {
                if (!HELD.compareAndSet(this, true, false)) {
                    throw new IllegalStateException("double close");
                }
                if (Thread.currentThread() == part.owner) {
                    part.free[part.size++] = this;
                } else {
                    Node head = part.returns; // read ...
                    next = head;
                    part.pool.window();
                    part.returns = this; // ... then write: a drain or push in between is lost
                }
            }
        }

        @Override
        public Handle<Object> tryAllocate() {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            Part p = local.get();
            if (p == null) {
                p = new Part(this);
                local.set(p);
            }
            if (p.size == 0) {
                Node n = p.returns; // read ...
                window();
                p.returns = null; // ... then write: a push in between is lost
                while (n != null && p.size < CAPACITY) {
                    Node next = n.next;
                    n.next = null;
                    p.free[p.size++] = n;
                    n = next;
                }
            }
            if (p.size == 0) {
                return null;
            }
            Node node = p.free[--p.size];
            node.held = true;
            return node;
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
            int n = 0;
            try {
                while (n < count) {
                    Handle<Object> h = tryAllocate();
                    if (h == null) {
                        break;
                    }
                    out[offset + n++] = h;
                }
            } catch (IllegalStateException e) {
                for (int i = offset + n - 1; i >= offset; i--) {
                    out[i].close();
                    out[i] = null;
                }
                throw e;
            }
            return n;
        }

        @Override
        public int capacity() {
            return 0;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public int inUse() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
