package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Lincheck on {@link CachingPool} against the contract its javadoc states, as a linearizable
 * projection. {@code tryAllocate} may answer {@code null} while objects sit in other threads'
 * magazines, so the raw answer is not a deterministic function of the history; what is exact:
 *
 * <ol>
 *   <li><b>ownership</b>: an allocation never returns an object that another allocation holds (each
 *       operation returns {@code true} iff it saw no second holder; the sequential specification
 *       answers {@code true} always);</li>
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
class CachingPoolLincheckTest {
    static final int CAPACITY = 4;

    /** The operations, on a pool made by {@link #newPool()}. */
    @Param(name = "object", gen = IntGen.class, conf = "0:3")
    public abstract static class Ops {
        private final Pool<Item> pool = newPool();
        /** held[id]: the handle on object id, while some thread holds it. */
        private final AtomicReferenceArray<Handle<Item>> held = new AtomicReferenceArray<>(CAPACITY);

        abstract Pool<Item> newPool();

        @Operation
        public boolean tryAllocate() {
            Handle<Item> h = pool.tryAllocate();
            return h == null || held.compareAndSet(h.get().id, null, h);
        }

        @Operation
        public boolean allocateOrNothing() {
            try {
                Handle<Item> h = pool.allocate();
                return held.compareAndSet(h.get().id, null, h);
            } catch (io.fastalloc.PoolExhaustedException e) {
                return true;
            }
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

    private static PoolConfig<Item> config() {
        return PoolConfig.<Item>builder().capacity(CAPACITY).factory(new Item.Factory()).checked(false).build();
    }

    /** The real pool: 2 stripes of 1 entry. */
    public static class Real extends Ops {
        @Override
        Pool<Item> newPool() {
            return CachingPool.create(config(), 2, 1);
        }
    }

    /** The planted bug: one magazine shared by all threads with plain check-then-act. */
    public static class Broken extends Ops {
        @Override
        Pool<Item> newPool() {
            return new BrokenCachingPool(config());
        }
    }

    private static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions().iterations(10).invocationsPerIteration(200)
                .threads(3).actorsPerThread(3);
    }

    private static StressOptions stress() {
        return new StressOptions().iterations(10).invocationsPerIteration(1_000)
                .threads(3).actorsPerThread(3);
    }

    @Test
    void shouldPassModelChecking() {
        modelChecking().check(Real.class);
    }

    @Test
    void shouldPassStress() {
        stress().check(Real.class);
    }

    @Test
    void shouldFailModelCheckingOnBrokenPool() {
        assertThrows(AssertionError.class, () -> modelChecking().minimizeFailedScenario(false).check(Broken.class));
    }
}
