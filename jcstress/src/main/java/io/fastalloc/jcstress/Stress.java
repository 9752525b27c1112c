package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;

import java.util.function.Consumer;

/**
 * The actions the jcstress tests share, so that each test class only says which pool it runs on.
 * Results are small ints: 1 = took or closed, 0 = found nothing, -1 = was refused with an exception.
 *
 * <p>Pools are made through the test registry ({@link PoolKind}, {@link Configuration}), the one
 * list every checker takes its kinds and configurations from. Each real pool's tests run in two of
 * its configurations: {@link Configuration#RESET} (a reset function that counts resets; the tests
 * without a prefix) and {@link Configuration#FAST_PATH} (no reset, no validator, unchecked, eager,
 * no recorder: the code users' benchmarks run; the {@code FastPath*} tests), plus
 * {@link Configuration#CHECKED} where only checked mode makes the promise.
 */
public final class Stress {
    /** The reset function of {@link Configuration#RESET}: counts the resets in the object. */
    public static final Consumer<Box> COUNT_RESETS = b -> b.resets++;

    private Stress() {
    }

    /**
     * @param capacity objects
     * @return a builder of boxes named "stress" with the capacity, before any configuration
     */
    public static PoolConfig.Builder<Box> builder(int capacity) {
        return PoolConfig.<Box>builder().name("stress").capacity(capacity).factory(Box::new);
    }

    /**
     * @param configuration the registry's configuration ({@link Configuration#RESET} counts resets)
     * @param capacity      objects
     * @return the config of boxes in that configuration
     */
    public static PoolConfig<Box> config(Configuration configuration, int capacity) {
        return configuration.apply(builder(capacity), COUNT_RESETS).build();
    }

    /**
     * @param kind          the registry's kind
     * @param configuration the registry's configuration
     * @param capacity      objects
     * @return a pool of that kind in that configuration
     */
    public static Pool<Box> pool(PoolKind kind, Configuration configuration, int capacity) {
        return pool(kind, configuration, builder(capacity));
    }

    /**
     * @param kind          the registry's kind
     * @param configuration the registry's configuration, applied over what {@code builder} holds
     * @param builder       a builder from {@link #builder(int)}, with any kind-specific setting
     * @return a pool of that kind in that configuration
     */
    public static Pool<Box> pool(PoolKind kind, Configuration configuration, PoolConfig.Builder<Box> builder) {
        return kind.create(configuration.apply(builder, COUNT_RESETS).build());
    }

    /**
     * @param pool the pool
     * @return 1 if an object was taken (and kept), 0 if none was free, -1 if the pool refused
     */
    public static int take(Pool<Box> pool) {
        try {
            return pool.tryAllocate() != null ? 1 : 0;
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    /**
     * Takes an object, writes its payload and gives it back.
     *
     * @param pool the pool
     * @return 1 if an object went round, 0 if none was free
     */
    public static int cycle(Pool<Box> pool) {
        Handle<Box> h = pool.tryAllocate();
        if (h == null) {
            return 0;
        }
        h.get().payload++;
        h.close();
        return 1;
    }

    /**
     * @param handle the handle to close
     * @return 1 if this close released it, -1 if it was refused as a double release
     */
    public static int close(Handle<Box> handle) {
        try {
            handle.close();
            return 1;
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    /**
     * Takes an object and reports what the previous holder and the reset function left in it.
     *
     * @param pool the pool
     * @return {@code payload * 10 + resets} of the object taken, or -1 if none was free
     */
    public static int observe(Pool<Box> pool) {
        Handle<Box> h = pool.tryAllocate();
        if (h == null) {
            return -1;
        }
        Box b = h.get();
        int seen = b.payload * 10 + b.resets;
        h.close();
        return seen;
    }

    /**
     * Takes an object, writes payload 4 and releases it (the reset function then counts 1).
     *
     * @param pool the pool
     * @return 1 if it went round, 0 if none was free
     */
    public static int publish(Pool<Box> pool) {
        Handle<Box> h = pool.tryAllocate();
        if (h == null) {
            return 0;
        }
        h.get().payload = 4;
        h.close();
        return 1;
    }

    /**
     * Counts how many objects can be taken from the pool now, then gives them back.
     *
     * @param pool the pool
     * @param max  the most to try
     * @return the number taken, or -2 if giving them back was refused (the pool handed out one
     *         object twice)
     */
    public static int drainCount(Pool<Box> pool, int max) {
        @SuppressWarnings("unchecked")
        Handle<Box>[] held = (Handle<Box>[]) new Handle<?>[max + 1];
        int n = 0;
        while (n <= max) {
            Handle<Box> h = pool.tryAllocate();
            if (h == null) {
                break;
            }
            held[n++] = h;
        }
        try {
            for (int i = 0; i < n; i++) {
                held[i].close();
            }
        } catch (IllegalStateException e) {
            return -2;
        }
        return n;
    }

    /**
     * Takes an object, reports what the previous holder wrote in it, writes {@code mark} and gives it
     * back: the visibility check of a configuration without a reset function, where the object
     * itself carries the evidence of who held it before.
     *
     * @param pool the pool
     * @param mark what this holder leaves in the payload, not 0
     * @return the payload the previous holder left (0 when none held it), or -1 if none was free
     */
    public static int swap(Pool<Box> pool, int mark) {
        Handle<Box> h = pool.tryAllocate();
        if (h == null) {
            return -1;
        }
        Box b = h.get();
        int seen = b.payload;
        b.payload = mark;
        h.close();
        return seen;
    }

    /**
     * Takes an object and gives it back at once, so that the calling thread is on its pool's fast
     * path for its next allocation (its own part cached, its magazine's hot slot filled).
     *
     * @param pool the pool
     * @return 1 if an object went round, 0 if none was free, -1 if the pool refused (closed)
     */
    public static int warmUp(Pool<Box> pool) {
        Handle<Box> h;
        try {
            h = pool.tryAllocate();
        } catch (IllegalStateException e) {
            return -1;
        }
        if (h == null) {
            return 0;
        }
        h.close();
        return 1;
    }

    /**
     * Gives back the handle a test kept, if any, and counts what the pool does not account for.
     *
     * @param pool the pool, with no other object out
     * @param held the handle still out, or {@code null}
     * @return 0 when every object is back ({@code available() == capacity()}, {@code inUse() == 0});
     *         otherwise {@code (capacity - available) * 10 + inUse}, or -1 if closing {@code held}
     *         was refused
     */
    public static int settle(Pool<Box> pool, Handle<Box> held) {
        if (held != null && close(held) != 1) {
            return -1;
        }
        return (pool.capacity() - pool.available()) * 10 + pool.inUse();
    }
}
