package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;

/**
 * The actions the jcstress tests share, so that each test class only says which pool it runs on.
 * Results are small ints: 1 = took or closed, 0 = found nothing, -1 = was refused with an exception.
 */
public final class Stress {
    private Stress() {
    }

    /**
     * @param capacity objects
     * @return an unchecked config of boxes whose reset function counts resets
     */
    public static PoolConfig<Box> config(int capacity) {
        return PoolConfig.<Box>builder().name("stress").capacity(capacity).factory(Box::new)
                .reset(b -> b.resets++).checked(false).build();
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
}
