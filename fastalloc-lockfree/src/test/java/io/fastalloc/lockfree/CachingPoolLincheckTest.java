package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lincheck on {@link CachingPool}, in each configuration that changes its code, against the
 * contract its javadoc states, as a linearizable projection. {@code tryAllocate} may answer
 * {@code null} while objects sit in other threads' magazines, so the raw answer is not a
 * deterministic function of the history; what is exact:
 *
 * <ol>
 *   <li><b>ownership</b>: an allocation (single or the array batch) never returns an object that
 *       another allocation holds (each allocation answers {@link #OK} iff it saw no second holder);</li>
 *   <li><b>close</b>: every allocation that starts after {@code close()} returned throws
 *       {@code IllegalStateException} ({@link #CLOSED}), even with nothing free; one that overlaps
 *       {@code close()} may still complete; handles may be closed after the pool (see {@link Spec});</li>
 *   <li><b>estimates stay in range</b>: {@code 0 <= available() <= capacity};</li>
 *   <li><b>conservation</b> (checked after each scenario by {@link Validate}): once every held handle
 *       is closed, {@code available() == capacity}, i.e. every object is in a magazine or the depot;
 *       and double close is refused.</li>
 * </ol>
 *
 * Handles are kept in a per-object array, so a handle allocated by one Lincheck thread is closed by
 * whichever thread's {@code closeObject(i)} takes it: cross-thread closes are covered. The pool has 2
 * stripes of 1 entry and 4 objects, so with 3 threads magazines, the depot, the no-stripe path,
 * exhaustion and flush requests all occur.
 *
 * <p>The same operations run against {@link BrokenCachingPool} (a magazine shared without ownership)
 * and must fail there.
 */
@Tag("lincheck") // run apart on JDK 24+: Lincheck calls sun.misc.Unsafe itself (see the parent pom)
class CachingPoolLincheckTest {
    static final int CAPACITY = 4;
    /** An allocation's answer: it got nothing, or objects no one else held. */
    static final int OK = 1;
    /** An allocation's answer: an object it got was held by another allocation. */
    static final int SECOND_HOLDER = 0;
    /** An allocation's answer: the pool refused it as closed. */
    static final int CLOSED = -2;

    static Stream<Configuration> paths() {
        return LincheckRuns.paths(PoolKind.CACHING);
    }

    /** The operations, on a pool made by {@link #newPool(Configuration)}. */
    @Param(name = "object", gen = IntGen.class, conf = "0:3")
    public abstract static class Ops {
        private final Pool<Item> pool = newPool(LincheckRuns.configuration());
        /** held[id]: the handle on object id, while some thread holds it. */
        private final AtomicReferenceArray<Handle<Item>> held = new AtomicReferenceArray<>(CAPACITY);

        abstract Pool<Item> newPool(Configuration configuration);

        private boolean hold(Handle<Item> h) {
            return held.compareAndSet(h.get().id, null, h);
        }

        @Operation
        public int tryAllocate() {
            try {
                Handle<Item> h = pool.tryAllocate();
                return h == null || hold(h) ? OK : SECOND_HOLDER;
            } catch (IllegalStateException e) {
                return CLOSED;
            }
        }

        @Operation
        public int allocateOrNothing() {
            try {
                return hold(pool.allocate()) ? OK : SECOND_HOLDER;
            } catch (PoolExhaustedException e) {
                return OK;
            } catch (IllegalStateException e) {
                return CLOSED;
            }
        }

        @Operation
        public int allocateBatch(@Param(gen = IntGen.class, conf = "1:2") int count) {
            @SuppressWarnings("unchecked")
            Handle<Item>[] out = (Handle<Item>[]) new Handle<?>[count];
            int n;
            try {
                n = pool.allocateBatch(out, 0, count);
            } catch (IllegalStateException e) {
                return CLOSED;
            }
            int answer = OK;
            for (int i = 0; i < n; i++) {
                if (!hold(out[i])) {
                    answer = SECOND_HOLDER;
                }
            }
            return answer;
        }

        @Operation
        public boolean closeObject(@Param(name = "object") int id) {
            Handle<Item> h = held.getAndSet(id, null);
            if (h == null) {
                return true;
            }
            h.close();
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
     * The sequential specification: every allocation is {@link #OK} (no second holder) until the
     * pool is closed, and {@link #CLOSED} after; closing handles and reading {@code available()}
     * always succeed.
     */
    public static class Spec {
        private boolean closed;

        public int tryAllocate() {
            return closed ? CLOSED : OK;
        }

        public int allocateOrNothing() {
            return tryAllocate();
        }

        public int allocateBatch(int count) {
            return tryAllocate();
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
     * stripes of 1 entry ({@link PoolKind#create} takes only the config and would size a pool of 4
     * objects without magazines, so the sizing goes through the public tuning factory).
     */
    public static class Real extends Ops {
        @Override
        Pool<Item> newPool(Configuration configuration) {
            if (!PoolKind.CACHING.className.equals(CachingPool.class.getName())) {
                throw new AssertionError("the registry's caching kind is " + PoolKind.CACHING.className);
            }
            return CachingPool.create(config(configuration), 2, 1);
        }
    }

    /** The planted bug: one magazine shared by all threads with plain check-then-act. */
    public static class Broken extends Ops {
        @Override
        Pool<Item> newPool(Configuration configuration) {
            return new BrokenCachingPool(config(configuration));
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
    void shouldPassModelChecking(Configuration configuration) {
        LincheckRuns.check(configuration, modelChecking(configuration), Real.class);
    }

    @Test
    void shouldPassStress() {
        LincheckRuns.check(Configuration.FAST_PATH, stress(), Real.class);
    }

    @Test
    void shouldFailModelCheckingOnBrokenPool() {
        assertThrows(AssertionError.class, () -> LincheckRuns.check(Configuration.FAST_PATH,
                modelChecking(Configuration.FAST_PATH).iterations(10).minimizeFailedScenario(false), Broken.class));
    }
}
