package io.fastalloc.jcstress;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolView;
import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

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

    /**
     * The one thread that is never a jcstress actor: {@link #allocateElsewhere} allocates on it. A
     * daemon, made once, so that it neither keeps a forked VM alive nor changes between states.
     */
    private static final ExecutorService ELSEWHERE = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fastalloc-jcstress-elsewhere");
        t.setDaemon(true);
        return t;
    });

    /** How long {@link #foreignClose} waits for the owner's publication, in spin-wait hints. */
    private static final int PUBLICATION_SPINS = 1_000;

    private Stress() {
    }

    /**
     * Allocates from {@code pool} on a dedicated thread that is never an actor, and returns the
     * handle. jcstress may build a {@code @State} on an actor's thread; a handle allocated there
     * would make that actor its allocating thread, whose unchecked close on the short path is a
     * plain store (no CAS), and a double release by the allocating thread racing a foreign close
     * is misuse that unchecked mode cannot see. Allocating elsewhere makes both actors foreign
     * closers, which claim with a CAS: exactly one wins. {@code submit(...).get()} orders the
     * allocation before the caller's next action (the future's completion happens-before
     * {@code get} returns).
     *
     * @param pool the pool
     * @return a handle allocated on the dedicated thread
     * @throws IllegalStateException when the allocation failed (the pool was exhausted or refused)
     */
    public static Handle<Box> allocateElsewhere(Pool<Box> pool) {
        return elsewhere(pool::allocate);
    }

    /**
     * Runs {@code task} on {@link #allocateElsewhere}'s dedicated thread and returns its answer:
     * for an allocation through a view made on that thread, so that the handle's allocating thread
     * is never an actor.
     *
     * @param task what to run there
     * @param <V>  its answer's type
     * @return its answer, ordered before the caller's next action
     * @throws IllegalStateException when the task threw
     */
    public static <V> V elsewhere(Callable<V> task) {
        try {
            return ELSEWHERE.submit(task).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the task on the dedicated thread failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the dedicated thread", e);
        }
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
     * @param view the calling thread's view
     * @return 1 if an object was taken through the view (and kept), 0 if none was free, -1 if the
     *         view refused
     */
    public static int take(PoolView<Box> view) {
        try {
            return view.tryAllocate() != null ? 1 : 0;
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    /**
     * Takes an object through a view, writes its payload and gives it back (the close on the
     * allocating thread).
     *
     * @param view the calling thread's view
     * @return 1 if an object went round, 0 if none was free
     */
    public static int cycle(PoolView<Box> view) {
        Handle<Box> h = view.tryAllocate();
        if (h == null) {
            return 0;
        }
        h.get().payload++;
        h.close();
        return 1;
    }

    /**
     * The owner's half of the owner-and-foreign-close tests, on a pool or view of 2 objects: takes
     * both, publishes the second to the foreign actor, closes the first itself (the allocating
     * thread's own close: a plain store on the short path), then takes up to two more and gives
     * them back. An object the foreign actor closed can come back only after that close, and then
     * carries the foreign closer's payload (4).
     *
     * @param take    the owner's {@code tryAllocate} (the pool's, or its view's)
     * @param publish hands the second handle to the foreign actor (a volatile write)
     * @return how many objects the second round took (1: its own only; 2: both), negated if it
     *         took the foreign-closed object without its payload; -8 if closing what it took was
     *         refused (one object handed out twice); -9 if the first round did not get both objects
     */
    public static int ownerRound(Supplier<Handle<Box>> take, Consumer<Handle<Box>> publish) {
        Handle<Box> mine = take.get();
        Handle<Box> theirs = take.get();
        if (mine == null || theirs == null) {
            return -9;
        }
        Box theirBox = theirs.get();
        publish.accept(theirs);
        mine.close();
        Handle<Box> first = take.get();
        Handle<Box> second = take.get();
        int n = 0;
        boolean unseen = false;
        boolean refused = false;
        for (int i = 0; i < 2; i++) {
            Handle<Box> h = i == 0 ? first : second;
            if (h != null) {
                n++;
                unseen |= h.get() == theirBox && h.get().payload != 4;
                refused |= close(h) != 1;
            }
        }
        if (refused) {
            return -8;
        }
        return unseen ? -n : n;
    }

    /**
     * The foreign actor's half of the owner-and-foreign-close tests: waits a bounded while for the
     * owner's publication (so that its close overlaps the owner's own close and re-allocations, the
     * window the tests are about), then writes payload 4 into the published object and closes it (a
     * close on another thread than the allocating one: a CAS).
     *
     * @param shared reads the handle the owner published, {@code null} until it has
     * @return 1 if it closed the handle, 0 if none was published in time, -1 if the close was refused
     */
    public static int foreignClose(Supplier<Handle<Box>> shared) {
        Handle<Box> h = shared.get();
        for (int spins = 0; h == null && spins < PUBLICATION_SPINS; spins++) {
            Thread.onSpinWait();
            h = shared.get();
        }
        if (h == null) {
            return 0;
        }
        h.get().payload = 4;
        return close(h);
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
