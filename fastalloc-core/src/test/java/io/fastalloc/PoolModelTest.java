package io.fastalloc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based tests with JUnit's own generators: thousands of random operation sequences
 * (allocate, tryAllocate, close, both batch forms, growth by exhaustion, trim) run against
 * {@link FixedPool} and {@link GrowingPool} and against {@link PoolModel}, for each allocation
 * strategy. After every step the pool must have handed out the same objects as the model and
 * agree on capacity, available and inUse. Sequences are seeded: a failure names its seed and the
 * steps that led to it.
 */
class PoolModelTest {
    /** Sequences per (strategy, pool kind): 6 combinations x 1,500 = 9,000 per run. */
    private static final int SEQUENCES = 1_500;
    private static final int MAX_STEPS = 80;

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (AllocationStrategy s : AllocationStrategy.values()) {
            all.add(Arguments.of(s, false));
            all.add(Arguments.of(s, true));
        }
        return all.stream();
    }

    /** A held handle and the slot index the model gave it. */
    private record Held(Handle<Item> handle, int index) {
    }

    @ParameterizedTest(name = "{0} growing={1}")
    @MethodSource("combinations")
    void shouldMatchTheModelOnRandomSequences(AllocationStrategy strategy, boolean growing) {
        long base = 0x5EED_0000L + strategy.ordinal() * 100_000L + (growing ? 50_000L : 0L);
        for (int i = 0; i < SEQUENCES; i++) {
            runSequence(strategy, growing, base + i);
        }
    }

    private static GrowthStrategy randomGrowth(SplittableRandom rnd, int capacity) {
        switch (rnd.nextInt(6)) {
            case 0: return GrowthStrategy.linear(1 + rnd.nextInt(4));
            case 1: return GrowthStrategy.exponential(2.0);
            case 2: return GrowthStrategy.exponential(1.5);
            case 3: return GrowthStrategy.custom(c -> c + 1 + c / 2);
            case 4: {
                int stop = capacity * 3;
                return GrowthStrategy.custom(c -> c < stop ? c + 2 : c); // stops below maxCapacity
            }
            default: return GrowthStrategy.none();
        }
    }

    @SuppressWarnings("unchecked")
    private static void runSequence(AllocationStrategy strategy, boolean growing, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int capacity = 1 + rnd.nextInt(6);
        int maxCapacity = growing ? capacity + rnd.nextInt(30) : capacity;
        GrowthStrategy growth = growing ? randomGrowth(rnd, capacity) : GrowthStrategy.none();
        boolean eager = rnd.nextBoolean();
        boolean checked = rnd.nextBoolean();
        PoolConfig<Item> config = PoolConfig.<Item>builder().name("model").capacity(capacity).maxCapacity(maxCapacity)
                .growthStrategy(growth).allocationStrategy(strategy).checked(checked).reset(Item::reset)
                .initialization(eager ? InitializationStrategy.EAGER : InitializationStrategy.LAZY)
                .factory(new Item.Factory()).build();
        Pool<Item> pool = growing ? GrowingPool.create(config) : FixedPool.create(config);
        PoolModel model = new PoolModel(strategy, eager, capacity, maxCapacity, growth);
        List<Held> held = new ArrayList<>();
        StringBuilder trace = new StringBuilder("seed=").append(seed).append(' ').append(config).append('\n');
        int steps = rnd.nextInt(MAX_STEPS);
        try {
            check(pool, model, held);
            for (int step = 0; step < steps; step++) {
                int op = rnd.nextInt(20);
                if (op < 5) {
                    trace.append("allocate\n");
                    int index = model.take();
                    if (index < 0) {
                        assertThrows(PoolExhaustedException.class, pool::allocate);
                    } else {
                        held.add(taken(pool.allocate(), index, model));
                    }
                } else if (op < 8) {
                    trace.append("tryAllocate\n");
                    int index = model.take();
                    Handle<Item> h = pool.tryAllocate();
                    if (index < 0) {
                        assertNull(h);
                    } else {
                        held.add(taken(h, index, model));
                    }
                } else if (op < 13) {
                    if (!held.isEmpty()) {
                        Held h = held.remove(rnd.nextInt(held.size()));
                        trace.append("close slot ").append(h.index).append('\n');
                        h.handle.close();
                        model.release(h.index);
                    }
                } else if (op < 15) {
                    int count = rnd.nextInt(7);
                    trace.append("allocateBatch(").append(count).append(")\n");
                    if (model.canTake(count)) {
                        List<Handle<Item>> batch = pool.allocateBatch(count);
                        assertEquals(count, batch.size());
                        for (Handle<Item> h : batch) {
                            held.add(taken(h, model.take(), model));
                        }
                    } else {
                        assertThrows(PoolExhaustedException.class, () -> pool.allocateBatch(count));
                    }
                } else if (op < 17) {
                    int count = rnd.nextInt(7);
                    int offset = rnd.nextInt(3);
                    trace.append("allocateBatch(out, ").append(offset).append(", ").append(count).append(")\n");
                    Handle<Item>[] out = new Handle[offset + count + rnd.nextInt(2)];
                    int n = pool.allocateBatch(out, offset, count);
                    int expected = 0;
                    for (int k = 0; k < count; k++) {
                        int index = model.take();
                        if (index < 0) {
                            break;
                        }
                        held.add(taken(out[offset + k], index, model));
                        expected++;
                    }
                    assertEquals(expected, n, "array batch count");
                    for (int k = offset + n; k < out.length; k++) {
                        assertNull(out[k]);
                    }
                } else if (op < 18) {
                    trace.append("exhaust\n");
                    int index;
                    while ((index = model.take()) >= 0) {
                        held.add(taken(pool.allocate(), index, model));
                    }
                    assertNull(pool.tryAllocate());
                } else if (op < 19) {
                    if (growing) {
                        trace.append("trim\n");
                        assertEquals(model.trim(), ((GrowingPool<Item>) pool).trim(), "trimmed");
                    }
                } else {
                    trace.append("close all\n");
                    while (!held.isEmpty()) {
                        Held h = held.remove(held.size() - 1 - rnd.nextInt(held.size()));
                        h.handle.close();
                        model.release(h.index);
                    }
                }
                check(pool, model, held);
            }
        } catch (AssertionError | RuntimeException e) {
            fail("sequence failed; replay with this seed:\n" + trace, e);
        }
    }

    private static Held taken(Handle<Item> h, int index, PoolModel model) {
        assertNotNull(h, () -> "the model has slot " + index + " free");
        assertEquals(model.serialAt(index), h.get().serial, () -> "object handed out (serial) for slot " + index);
        assertEquals(0, h.get().value, "handed out reset");
        h.get().value = 1 + index;
        return new Held(h, index);
    }

    private static void check(Pool<Item> pool, PoolModel model, List<Held> held) {
        assertEquals(model.capacity(), pool.capacity(), "capacity");
        assertEquals(model.available(), pool.available(), "available");
        assertEquals(model.inUse(), pool.inUse(), "inUse");
        for (Held h : held) {
            Item item = h.handle.get();
            assertEquals(model.serialAt(h.index), item.serial, () -> "held object of slot " + h.index);
            assertEquals(1 + h.index, item.value, "nobody else wrote it");
        }
    }
}
