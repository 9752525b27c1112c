package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolView;
import io.fastalloc.testkit.Configuration;
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

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lincheck on {@link CachingPool#view()}: allocations through per-thread views, against the same
 * linearizable projection of the contract as {@link CachingPoolLincheckTest} (its {@code Spec}'s
 * answers, under this test's operation names):
 *
 * <ol>
 *   <li><b>ownership</b>: an allocation through a view never returns an object that another
 *       allocation holds ({@link #OK} iff it saw no second holder);</li>
 *   <li><b>close</b>: an allocation through a view that starts after {@code close()} of the pool
 *       returned throws {@code IllegalStateException} ({@link #CLOSED}), whether the view was made
 *       before or after the close;</li>
 *   <li><b>estimates stay in range</b>: {@code 0 <= available() <= capacity};</li>
 *   <li><b>conservation</b> ({@link Validate}): once every held handle is closed,
 *       {@code available() == capacity} (objects in the views' magazines count), and double close
 *       is refused.</li>
 * </ol>
 *
 * Each Lincheck thread (its {@code ThreadIdGen} id) makes its own view on its own thread the first
 * time it allocates, and keeps it: a view is confined to its thread. It releases its own handles,
 * oldest first ({@code releaseOwn}: the allocating thread's close, a plain store on the short
 * path), and any thread may close whichever handle holds an object ({@code closeObject}: a foreign
 * close when another thread allocated it, a CAS). The pool has 2 stripes of 1 entry and 4
 * objects, so with 3 threads views with magazines, a view without a stripe (the depot path),
 * exhaustion and flush requests all occur.
 *
 * <p>The same operations run against {@link BrokenCachingView} (views sharing one plain stack) and
 * must fail there.
 */
@Tag("lincheck") // run apart on JDK 24+: Lincheck calls sun.misc.Unsafe itself (see the parent pom)
class CachingPoolViewLincheckTest {
    static final int CAPACITY = 4;
    /** An allocation's answer: it got nothing, or an object no one else held. */
    static final int OK = 1;
    /** An allocation's answer: the object it got was held by another allocation. */
    static final int SECOND_HOLDER = 0;
    /** An allocation's answer: the pool refused it as closed. */
    static final int CLOSED = -2;
    /** More than ThreadIdGen's ids with 3 threads (the init part, the threads, the post part). */
    private static final int THREAD_IDS = 8;

    static Stream<Configuration> paths() {
        return LincheckRuns.paths(PoolKind.CACHING);
    }

    /** A handle a thread allocated, with its object's id (a closed lease may not be asked). */
    private static final class Owned {
        final Handle<Item> handle;
        final int id;

        Owned(Handle<Item> handle, int id) {
            this.handle = handle;
            this.id = id;
        }
    }

    /** The operations, on a pool made by {@link #newPool} and views made by {@link #newView}. */
    @Param(name = "object", gen = IntGen.class, conf = "0:3")
    @Param(name = "t", gen = ThreadIdGen.class)
    public abstract static class Ops {
        private final Pool<Item> pool = newPool(LincheckRuns.configuration());
        /** held[id]: the handle on object id, while some thread holds it. */
        private final AtomicReferenceArray<Handle<Item>> held = new AtomicReferenceArray<>(CAPACITY);
        /** Per thread id: its view, made on its thread; only that thread touches its entry. */
        private final PoolView<?>[] views = new PoolView<?>[THREAD_IDS];
        /** Per thread id: the thread its view was made on. */
        private final Thread[] viewThreads = new Thread[THREAD_IDS];
        /** Per thread id: what it allocated, oldest first; only that thread touches its entry. */
        private final ArrayDeque<?>[] owned = new ArrayDeque<?>[THREAD_IDS];

        abstract Pool<Item> newPool(Configuration configuration);

        /** @return a view of {@code pool} for the calling thread */
        abstract PoolView<Item> newView(Pool<Item> pool);

        /**
         * The view of thread id {@code t}, made on the calling thread the first time (and again
         * should Lincheck run the id on another thread, which a view would refuse).
         *
         * @throws IllegalStateException when the pool is closed and the view is new
         */
        @SuppressWarnings("unchecked")
        private PoolView<Item> viewOf(int t) {
            Thread current = Thread.currentThread();
            if (views[t] == null || viewThreads[t] != current) {
                views[t] = newView(pool);
                viewThreads[t] = current;
            }
            return (PoolView<Item>) views[t];
        }

        @SuppressWarnings("unchecked")
        private ArrayDeque<Owned> ownedBy(int t) {
            if (owned[t] == null) {
                owned[t] = new ArrayDeque<Owned>();
            }
            return (ArrayDeque<Owned>) owned[t];
        }

        /** @return whether {@code h} is now the only holder of its object */
        private boolean hold(int t, Handle<Item> h) {
            int id = h.get().id;
            if (!held.compareAndSet(id, null, h)) {
                return false;
            }
            ownedBy(t).addLast(new Owned(h, id));
            return true;
        }

        @Operation
        public int viewTryAllocate(@Param(name = "t") int t) {
            try {
                Handle<Item> h = viewOf(t).tryAllocate();
                return h == null || hold(t, h) ? OK : SECOND_HOLDER;
            } catch (IllegalStateException e) {
                return CLOSED;
            }
        }

        @Operation
        public int viewAllocateOrNothing(@Param(name = "t") int t) {
            try {
                return hold(t, viewOf(t).allocate()) ? OK : SECOND_HOLDER;
            } catch (PoolExhaustedException e) {
                return OK;
            } catch (IllegalStateException e) {
                return CLOSED;
            }
        }

        /** Closes the oldest handle thread {@code t} allocated that no one has closed since. */
        @Operation
        public boolean releaseOwn(@Param(name = "t") int t) {
            ArrayDeque<Owned> mine = ownedBy(t);
            Owned o;
            while ((o = mine.pollFirst()) != null) {
                if (held.compareAndSet(o.id, o.handle, null)) {
                    o.handle.close();
                    return true;
                }
            }
            return true;
        }

        /** Closes whichever handle holds object {@code id}, on this thread: often a foreign close. */
        @Operation
        public boolean closeObject(@Param(name = "object") int id) {
            Handle<Item> h = held.getAndSet(id, null);
            if (h != null) {
                h.close();
            }
            return true;
        }

        @Operation
        public boolean availableInRange() {
            int a = pool.available();
            return a >= 0 && a <= CAPACITY;
        }

        @Operation
        public void closePool() {
            pool.close();
        }

        /** Conservation: after closing what is held, every object is free again. */
        @Validate
        public void everyObjectComesBack() {
            for (int i = 0; i < CAPACITY; i++) {
                Handle<Item> h = held.getAndSet(i, null);
                if (h != null) {
                    h.close();
                    boolean refused = false;
                    try {
                        h.close();
                    } catch (IllegalStateException expected) {
                        refused = true;
                    }
                    if (!refused) {
                        throw new IllegalStateException("double close accepted for object " + i);
                    }
                }
            }
            if (pool.available() != CAPACITY) {
                throw new IllegalStateException("lost objects: available " + pool.available() + " of " + CAPACITY);
            }
        }
    }

    /**
     * The sequential specification, {@link CachingPoolLincheckTest}'s: every allocation is
     * {@link #OK} (no second holder) until the pool is closed, and {@link #CLOSED} after; closing
     * handles and reading {@code available()} always succeed.
     */
    public static class Spec {
        private boolean closed;

        public int viewTryAllocate(int t) {
            return closed ? CLOSED : OK;
        }

        public int viewAllocateOrNothing(int t) {
            return viewTryAllocate(t);
        }

        public boolean releaseOwn(int t) {
            return true;
        }

        public boolean closeObject(int id) {
            return true;
        }

        public boolean availableInRange() {
            return true;
        }

        public void closePool() {
            closed = true;
        }
    }

    private static PoolConfig<Item> config(Configuration configuration) {
        return configuration.apply(PoolConfig.<Item>builder().capacity(CAPACITY).factory(new Item.Factory())).build();
    }

    /**
     * The real pool: the registry's {@link PoolKind#CACHING} kind in the run's configuration, with 2
     * stripes of 1 entry (as {@link CachingPoolLincheckTest.Real}), and its own views.
     */
    public static class Real extends Ops {
        @Override
        Pool<Item> newPool(Configuration configuration) {
            if (!PoolKind.CACHING.className.equals(CachingPool.class.getName())) {
                throw new AssertionError("the registry's caching kind is " + PoolKind.CACHING.className);
            }
            return CachingPool.create(config(configuration), 2, 1);
        }

        @Override
        PoolView<Item> newView(Pool<Item> pool) {
            return ((CachingPool<Item>) pool).view();
        }
    }

    /** The planted bug: views that share one plain stack with check-then-act. */
    public static class Broken extends Ops {
        @Override
        Pool<Item> newPool(Configuration configuration) {
            return new BrokenCachingView(config(configuration));
        }

        @Override
        PoolView<Item> newView(Pool<Item> pool) {
            return ((BrokenCachingView) pool).view();
        }
    }

    private static ModelCheckingOptions modelChecking(Configuration configuration) {
        return new ModelCheckingOptions().iterations(LincheckRuns.iterations(configuration))
                .invocationsPerIteration(LincheckRuns.invocations(configuration)).threads(3).actorsPerThread(3)
                .sequentialSpecification(Spec.class);
    }

    private static StressOptions stress() {
        return new StressOptions().iterations(3).invocationsPerIteration(1_000)
                .threads(3).actorsPerThread(3).sequentialSpecification(Spec.class);
    }

    @ParameterizedTest
    @MethodSource("paths")
    void shouldPassModelCheckingThroughViews(Configuration configuration) {
        LincheckRuns.check(configuration, modelChecking(configuration), Real.class);
    }

    @Test
    void shouldPassStressThroughViews() {
        LincheckRuns.check(Configuration.FAST_PATH, stress(), Real.class);
    }

    @Test
    void shouldFailModelCheckingOnBrokenViews() {
        assertThrows(AssertionError.class, () -> LincheckRuns.check(Configuration.FAST_PATH,
                modelChecking(Configuration.FAST_PATH).iterations(10).minimizeFailedScenario(false), Broken.class));
    }
}
