package io.fastalloc.testkit;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Every pool kind fastalloc ships, the one list that every checker takes its kinds from: the
 * contract and fault tests, the Lincheck and jcstress tests, the soak, the statistics tests and the
 * benchmarks. A kind whose module is not on the class path (the lock-free kinds, seen from
 * {@code fastalloc-core}'s own tests) reports {@link #isPresent()} {@code false} and is left out of
 * {@link #present()}.
 *
 * <p>What a kind allows of threads is part of the entry, so a checker does not keep its own list of
 * roles: {@link #threadSafe} (any thread may allocate and close), {@link #singleAllocator} and
 * {@link #singleReleaser} (the SPSC family's roles), and {@link #adoptsDeadThreads} (the kinds that
 * hand a dead thread's share to another thread).
 */
public enum PoolKind {
    FIXED("io.fastalloc.FixedPool", false, false, false, false),
    GROWING("io.fastalloc.GrowingPool", false, false, false, false),
    THREAD_SAFE("io.fastalloc.ThreadSafePool", true, false, false, false),
    THREAD_LOCAL("io.fastalloc.ThreadLocalPool", true, false, false, true),
    MPMC("io.fastalloc.lockfree.MpmcPool", true, false, false, false),
    SPSC("io.fastalloc.lockfree.SpscPool", true, true, true, false),
    MPSC("io.fastalloc.lockfree.MpscPool", true, true, false, false),
    SPMC("io.fastalloc.lockfree.SpmcPool", true, false, true, false),
    CACHING("io.fastalloc.lockfree.CachingPool", true, false, false, true);

    /** The public class's binary name. */
    public final String className;
    /** Whether more than one thread may use the pool (in its roles, where it has them). */
    public final boolean threadSafe;
    /** Whether only one thread may allocate (SPSC, MPSC). */
    public final boolean singleAllocator;
    /** Whether only one thread may release (SPSC, SPMC). */
    public final boolean singleReleaser;
    /** Whether a dead thread's share (a part, a stripe's magazine) passes to another thread. */
    public final boolean adoptsDeadThreads;
    /** {@code create(PoolConfig)}, or {@code null} when the class is not on the class path. */
    private final MethodHandle create;

    PoolKind(String className, boolean threadSafe, boolean singleAllocator, boolean singleReleaser,
             boolean adoptsDeadThreads) {
        this.className = className;
        this.threadSafe = threadSafe;
        this.singleAllocator = singleAllocator;
        this.singleReleaser = singleReleaser;
        this.adoptsDeadThreads = adoptsDeadThreads;
        this.create = factoryOf(className);
    }

    private static MethodHandle factoryOf(String className) {
        try {
            Class<?> type = Class.forName(className);
            return MethodHandles.publicLookup().findStatic(type, "create",
                    MethodType.methodType(type, PoolConfig.class)).asType(MethodType.methodType(Pool.class, PoolConfig.class));
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** @return the simple name users know the kind by, as in messages and statistics */
    public String kindName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** @return whether the kind's module is on the class path */
    public boolean isPresent() {
        return create != null;
    }

    /** @return whether any thread may allocate and any thread may close (no roles) */
    public boolean anyThread() {
        return threadSafe && !singleAllocator && !singleReleaser;
    }

    /**
     * Makes a pool of this kind.
     *
     * @param config the config
     * @param <T>    the type of pooled object
     * @return the pool
     * @throws IllegalStateException when the kind's module is not on the class path
     */
    @SuppressWarnings("unchecked")
    public <T> Pool<T> create(PoolConfig<T> config) {
        if (create == null) {
            throw new IllegalStateException(className + " is not on the class path");
        }
        try {
            return (Pool<T>) (Pool<?>) create.invokeExact(config);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the kinds on the class path, in declaration order */
    public static List<PoolKind> present() {
        List<PoolKind> kinds = new ArrayList<>();
        for (PoolKind k : values()) {
            if (k.isPresent()) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    /** @return the kinds on the class path that more than one thread may use */
    public static List<PoolKind> concurrent() {
        List<PoolKind> kinds = new ArrayList<>();
        for (PoolKind k : present()) {
            if (k.threadSafe) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    @Override
    public String toString() {
        return kindName();
    }
}
