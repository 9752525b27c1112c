package io.fastalloc.bench;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolView;
import io.fastalloc.lockfree.CachingPool;
import io.netty.util.Recycler;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.SpscArrayQueue;
import org.vibur.objectpool.ConcurrentPool;
import org.vibur.objectpool.PoolObjectFactory;
import org.vibur.objectpool.util.ConcurrentLinkedDequeCollection;
import stormpot.Allocator;
import stormpot.BasePoolable;
import stormpot.Expiration;
import stormpot.Slot;
import stormpot.Timeout;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One contender of the "take an object, write a field, give it back" question: a fastalloc pool
 * kind, a floor (the least any pool can cost) or a peer (another library, or plain {@code new}).
 *
 * <p>A contender is made once per benchmark (its shared part: a shared pool, a queue); each
 * benchmark thread then asks for its {@link Lane}. Per-thread contenders (the array stack, the SPSC
 * queue, single-threaded pool kinds) make their whole structure in {@link #lane()}. Every lane does
 * the same work: take one object, write {@code value}, read {@code id}, give the object back, and
 * return it (so plain {@code new} really allocates: escape analysis cannot remove an object that is
 * returned to JMH's blackhole). No contender runs a reset function.
 */
public abstract class Contender {
    /** Objects per pool (per thread for per-thread contenders). */
    public static final int CAPACITY = 1024;

    /** The floors: structures any pool is built from, measured bare. */
    public static final List<String> FLOORS = List.of("arrayStack", "mpmcQueue", "spscQueue");
    /**
     * The peers: other libraries' pools, each in its usual mode and in its fastest (Stormpot 4.0's taps,
     * Netty's owner-pinned Recycler), and plain {@code new}. The Stormpot taps need Stormpot 4.0, which the
     * bench is built with on JDK 21+ only (on Stormpot 3.2 they throw {@link IllegalStateException}).
     */
    public static final List<String> PEERS = List.of("commonsPool2", "nettyRecycler", "nettyPinned", "vibur",
            "stormpot", "stormpotSingleThreadedTap", "stormpotThreadSafeTap", "stormpotVirtualThreadSafeTap",
            "newObject");
    /**
     * fastalloc's ways in other than a pool kind's own {@code allocate}: {@code cachingPoolView}, a
     * {@link CachingPool}'s caller-held {@link PoolView}. Not peers, so not a report's "best peer".
     */
    public static final List<String> VIEWS = List.of("cachingPoolView");

    /** One thread's view of a contender. Not thread-safe: used by the thread that asked for it. */
    public interface Lane {
        /**
         * Takes an object, writes {@code value} into it, gives it back.
         *
         * @param value what to write
         * @return the object that was used
         */
        Object cycle(long value);

        /**
         * Frees what the lane holds for its thread (a caller-held view); called once, on the lane's thread,
         * when the thread is done with it. Nothing for most lanes.
         */
        default void close() {
        }
    }

    /** @return a lane for the calling thread */
    public abstract Lane lane();

    /** Frees what the contender holds (pools with threads or registrations). */
    public void close() {
    }

    /**
     * @param name a floor, a peer or a {@link PoolKind} name
     * @return the contender of that name
     * @throws IllegalArgumentException for an unknown name
     */
    public static Contender create(String name) {
        switch (name) {
            case "arrayStack":
                return perThread(ArrayStackLane::new);
            case "spscQueue":
                return perThread(SpscQueueLane::new);
            case "mpmcQueue":
                return new MpmcQueueContender();
            case "commonsPool2":
                return new CommonsPoolContender();
            case "nettyRecycler":
                return new RecyclerContender();
            case "nettyPinned":
                return perThread(PinnedRecyclerLane::new);
            case "vibur":
                return new ViburContender();
            case "stormpot":
                return new StormpotContender();
            case "stormpotSingleThreadedTap":
                return new StormpotTapContender("getSingleThreadedTap", false);
            case "stormpotThreadSafeTap":
                return new StormpotTapContender("getThreadSafeTap", true);
            case "stormpotVirtualThreadSafeTap":
                return new StormpotTapContender("getVirtualThreadSafeTap", true);
            case "cachingPoolView":
                return new CachingViewContender();
            case "newObject":
                return perThread(() -> value -> {
                    Payload p = new Payload(value);
                    p.value = value;
                    return p;
                });
            default:
                PoolKind kind = PoolKind.byName(name);
                if (kind == null) {
                    throw new IllegalArgumentException("contender: " + name + " (expected: one of " + FLOORS + ", "
                            + PEERS + ", " + VIEWS + " or a PoolKind name)");
                }
                return new PoolContender(kind);
        }
    }

    private static Contender perThread(Supplier<Lane> lanes) {
        return new Contender() {
            @Override
            public Lane lane() {
                return lanes.get();
            }
        };
    }

    /**
     * @param queue an empty queue of room for {@link #CAPACITY}
     * @param <Q>   its type
     * @return the queue, holding {@link #CAPACITY} new payloads
     */
    static <Q extends Queue<Payload>> Q filled(Q queue) {
        for (int i = 0; i < CAPACITY; i++) {
            queue.offer(new Payload(i));
        }
        return queue;
    }

    /** A plain array used as a stack, one per thread: the floor under every single-threaded pool. */
    static final class ArrayStackLane implements Lane {
        private final Payload[] stack = new Payload[CAPACITY];
        private int size;

        ArrayStackLane() {
            for (int i = 0; i < CAPACITY; i++) {
                stack[size++] = new Payload(i);
            }
        }

        @Override
        public Object cycle(long value) {
            Payload p = stack[--size];
            p.value = value + p.id;
            stack[size++] = p;
            return p;
        }
    }

    /** A JCTools {@link SpscArrayQueue} polled and offered by one thread. */
    static final class SpscQueueLane implements Lane {
        private final SpscArrayQueue<Payload> queue = filled(new SpscArrayQueue<>(CAPACITY));

        @Override
        public Object cycle(long value) {
            Payload p = queue.poll();
            p.value = value + p.id;
            queue.offer(p);
            return p;
        }
    }

    /** One JCTools {@link MpmcArrayQueue} shared by all threads: the floor under shared pools. */
    static final class MpmcQueueContender extends Contender {
        private final MpmcArrayQueue<Payload> queue = filled(new MpmcArrayQueue<>(CAPACITY));

        @Override
        public Lane lane() {
            MpmcArrayQueue<Payload> q = queue;
            return value -> {
                Payload p = q.poll();
                p.value = value + p.id;
                q.offer(p);
                return p;
            };
        }
    }

    /** A fastalloc pool kind: one pool per thread for confined kinds, one shared pool otherwise. */
    static final class PoolContender extends Contender {
        private final PoolKind kind;
        private final Pool<Payload> shared;

        PoolContender(PoolKind kind) {
            this.kind = kind;
            this.shared = kind.perThread() ? null : newPool(kind);
        }

        /**
         * @param kind a pool kind
         * @return a new unchecked pool of that kind, of {@link #CAPACITY} payloads, named {@code bench-<kind>}
         */
        static Pool<Payload> newPool(PoolKind kind) {
            return kind.create(config(kind.paramName()));
        }

        /**
         * @param name what follows {@code bench-} in the pool's name
         * @return the config of every benchmark pool: {@link #CAPACITY} payloads, unchecked, no reset
         */
        static PoolConfig<Payload> config(String name) {
            long[] ids = {0};
            return PoolConfig.<Payload>builder().name("bench-" + name)
                    .capacity(CAPACITY).factory(() -> new Payload(ids[0]++)).checked(false).build();
        }

        @Override
        public Lane lane() {
            Pool<Payload> pool = shared != null ? shared : newPool(kind);
            return value -> {
                try (Handle<Payload> h = pool.allocate()) {
                    Payload p = h.get();
                    p.value = value + p.id;
                    return p;
                }
            };
        }

        @Override
        public void close() {
            if (shared != null) {
                shared.close();
            }
        }
    }

    /** Apache Commons Pool 2 {@link GenericObjectPool}: borrow and return, JMX off, pre-filled. */
    static final class CommonsPoolContender extends Contender {
        private final GenericObjectPool<Payload> pool = newPool();

        /** @return a pool of {@link #CAPACITY} payloads, all made up front, JMX off */
        static GenericObjectPool<Payload> newPool() {
            GenericObjectPoolConfig<Payload> config = new GenericObjectPoolConfig<>();
            config.setMaxTotal(CAPACITY);
            config.setMaxIdle(CAPACITY);
            config.setJmxEnabled(false);
            GenericObjectPool<Payload> pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
                private long ids;

                @Override
                public Payload create() {
                    return new Payload(ids++);
                }

                @Override
                public PooledObject<Payload> wrap(Payload obj) {
                    return new DefaultPooledObject<>(obj);
                }
            }, config);
            try {
                pool.addObjects(CAPACITY);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return pool;
        }

        @Override
        public Lane lane() {
            GenericObjectPool<Payload> p0 = pool;
            return value -> {
                Payload p;
                try {
                    p = p0.borrowObject();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                p.value = value + p.id;
                p0.returnObject(p);
                return p;
            };
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** An object recycled by Netty's {@link Recycler}: it keeps its handle. */
    static final class RecycledPayload {
        final Recycler.Handle<RecycledPayload> handle;
        long id;
        long value;

        RecycledPayload(Recycler.Handle<RecycledPayload> handle, long id) {
            this.handle = handle;
            this.id = id;
        }
    }

    /**
     * Netty's {@link Recycler} (netty-common 4.2). It keeps objects per thread; on a
     * {@code FastThreadLocalThread} it uses its fast path (a per-thread batch array). JMH's workers
     * are made {@code FastThreadLocalThread}s by {@link FastThreadLocalExecutor}, which the benchmarks
     * that include this contender select with {@code -Djmh.executor=CUSTOM}.
     */
    static final class RecyclerContender extends Contender {
        private final Recycler<RecycledPayload> recycler = newRecycler();

        /** @return a Recycler in its default mode: per-thread pools, guarded handles */
        static Recycler<RecycledPayload> newRecycler() {
            return new Recycler<>() {
                private long ids;

                @Override
                protected RecycledPayload newObject(Handle<RecycledPayload> handle) {
                    return new RecycledPayload(handle, ids++);
                }
            };
        }

        @Override
        public Lane lane() {
            Recycler<RecycledPayload> r = recycler;
            return value -> {
                RecycledPayload p = r.get();
                p.value = value + p.id;
                p.handle.recycle(p);
                return p;
            };
        }
    }

    /**
     * Netty's {@link Recycler} in its fastest mode (netty-common 4.2.7+): pinned to its owner thread and
     * unguarded ({@code new Recycler<>(owner, true)}), one per benchmark thread, made in {@link #lane()} with
     * the calling thread as owner. The owner pops and pushes a plain batch array with no thread-local lookup,
     * on any platform thread (not only {@code FastThreadLocalThread}s); an object recycled on another thread
     * goes through an MPSC queue back to the owner. Not thread-safe: only the owner may {@code get()}.
     */
    static final class PinnedRecyclerLane implements Lane {
        private final Recycler<RecycledPayload> recycler = newRecycler(Thread.currentThread());

        /**
         * @param owner the only thread that calls {@code get()}
         * @return an owner-pinned, unguarded Recycler
         */
        static Recycler<RecycledPayload> newRecycler(Thread owner) {
            return new Recycler<>(owner, true) {
                private long ids;

                @Override
                protected RecycledPayload newObject(Handle<RecycledPayload> handle) {
                    return new RecycledPayload(handle, ids++);
                }
            };
        }

        @Override
        public Object cycle(long value) {
            RecycledPayload p = recycler.get();
            p.value = value + p.id;
            p.handle.recycle(p);
            return p;
        }
    }

    /** Vibur {@link ConcurrentPool} on its recommended {@link ConcurrentLinkedDequeCollection}, not fair. */
    static final class ViburContender extends Contender {
        private final ConcurrentPool<Payload> pool;

        ViburContender() {
            pool = new ConcurrentPool<>(new ConcurrentLinkedDequeCollection<>(), new PoolObjectFactory<>() {
                private long ids;

                @Override
                public Payload create() {
                    return new Payload(ids++);
                }

                @Override
                public boolean readyToTake(Payload obj) {
                    return true;
                }

                @Override
                public boolean readyToRestore(Payload obj) {
                    return true;
                }

                @Override
                public void destroy(Payload obj) {
                }
            }, CAPACITY, CAPACITY, false);
        }

        @Override
        public Lane lane() {
            ConcurrentPool<Payload> p0 = pool;
            return value -> {
                Payload p = p0.take();
                p.value = value + p.id;
                p0.restore(p);
                return p;
            };
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** An object pooled by Stormpot. */
    static final class StormpotPayload extends BasePoolable {
        long id;
        long value;

        StormpotPayload(Slot slot, long id) {
            super(slot);
            this.id = id;
        }
    }

    /**
     * Stormpot (3.2 on JDK 17, 4.0 when built on JDK 21+): an inline pool (no allocator thread),
     * objects never expire, claimed through a single-threaded tap per benchmark thread (Stormpot's
     * fastest mode: 4.0's {@code getSingleThreadedTap()}, 3.2's {@code getThreadLocalTap()}).
     */
    static final class StormpotContender extends Contender {
        private static final Timeout TIMEOUT = new Timeout(1, TimeUnit.MINUTES);
        private final stormpot.Pool<StormpotPayload> pool = newPool();

        /** @return an inline pool (no allocator thread) of {@link #CAPACITY} objects that never expire */
        static stormpot.Pool<StormpotPayload> newPool() {
            long[] ids = {0};
            Allocator<StormpotPayload> allocator = new Allocator<>() {
                @Override
                public StormpotPayload allocate(Slot slot) {
                    return new StormpotPayload(slot, ids[0]++);
                }

                @Override
                public void deallocate(StormpotPayload poolable) {
                }
            };
            return stormpot.Pool.fromInline(allocator).setSize(CAPACITY).setExpiration(Expiration.never()).build();
        }

        @Override
        public Lane lane() {
            // its best mode: a single-threaded tap per benchmark thread (one per lane, never shared)
            return claimLane(fastestTap(pool));
        }

        /**
         * @param tap where the lane claims (a pool is a tap too)
         * @return a lane that claims from {@code tap} (waiting up to a minute), writes and releases
         */
        static Lane claimLane(stormpot.PoolTap<StormpotPayload> tap) {
            return value -> {
                StormpotPayload p;
                try {
                    p = tap.claim(TIMEOUT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                p.value = value + p.id;
                p.release();
                return p;
            };
        }

        /** Stormpot 4.0's getSingleThreadedTap(), or 3.2's getThreadLocalTap(): the same idea, renamed. */
        @SuppressWarnings("unchecked")
        static stormpot.PoolTap<StormpotPayload> fastestTap(stormpot.Pool<StormpotPayload> pool) {
            for (String name : new String[] {"getSingleThreadedTap", "getThreadLocalTap"}) {
                try {
                    return (stormpot.PoolTap<StormpotPayload>) stormpot.Pool.class.getMethod(name).invoke(pool);
                } catch (NoSuchMethodException e) {
                    // the other version's name
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return pool;
        }

        /** @return whether Stormpot 4.0 is on the class path (its taps), not 3.2 */
        static boolean isStormpot4() {
            try {
                stormpot.Pool.class.getMethod("getSingleThreadedTap");
                return true;
            } catch (NoSuchMethodException e) {
                return false;
            }
        }

        @Override
        public void close() {
            pool.shutdown();
        }
    }

    /**
     * Stormpot 4.0 claimed through one of its taps, named by the pool's method that makes it:
     * {@code getSingleThreadedTap} (not thread-safe: one per benchmark thread, made in {@link #lane()}),
     * {@code getThreadSafeTap} or {@code getVirtualThreadSafeTap} (thread-safe: one tap made once and shared
     * by all threads). The pool is {@link StormpotContender}'s (inline, never expiring).
     *
     * <p>The bench compiles against Stormpot 3.2 on JDK 17 and 4.0 on JDK 21+, so the taps are found
     * reflectively, once per tap (never on the measured path). On Stormpot 3.2 the constructor throws
     * {@link IllegalStateException}, so a run of these contenders from a JDK 17 build fails at setup rather
     * than measure another mode under the same name.
     */
    static final class StormpotTapContender extends Contender {
        private final Method tapMethod;
        private final stormpot.Pool<StormpotPayload> pool;
        private final stormpot.PoolTap<StormpotPayload> shared;

        /**
         * @param tapMethod the {@link stormpot.Pool} method that makes the tap
         * @param shared    {@code true} to make one tap for all threads, {@code false} for one per lane
         * @throws IllegalStateException on Stormpot 3.2
         */
        StormpotTapContender(String tapMethod, boolean shared) {
            if (!StormpotContender.isStormpot4()) {
                throw new IllegalStateException("stormpot tap " + tapMethod
                        + ": needs Stormpot 4.0: build fastalloc-bench on JDK 21+ (this build has Stormpot 3.2)");
            }
            try {
                this.tapMethod = stormpot.Pool.class.getMethod(tapMethod);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("stormpot tap " + tapMethod + ": no such method in Stormpot 4.0", e);
            }
            this.pool = StormpotContender.newPool();
            this.shared = shared ? newTap() : null;
        }

        @SuppressWarnings("unchecked")
        private stormpot.PoolTap<StormpotPayload> newTap() {
            try {
                return (stormpot.PoolTap<StormpotPayload>) tapMethod.invoke(pool);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Lane lane() {
            return StormpotContender.claimLane(shared != null ? shared : newTap());
        }

        @Override
        public void close() {
            pool.shutdown();
        }
    }

    /**
     * fastalloc's {@link CachingPool} through caller-held views: one shared pool (the config
     * {@link PoolContender#newPool} gives {@code cachingPool}), one {@link PoolView} per benchmark thread,
     * made in {@link #lane()}. A view may only be used and closed on its own thread, so each lane closes its
     * view ({@link Lane#close()}, on the lane's thread); {@link #close()} closes the pool.
     */
    static final class CachingViewContender extends Contender {
        private final CachingPool<Payload> pool = CachingPool.create(PoolContender.config("cachingPool"));

        @Override
        public Lane lane() {
            PoolView<Payload> view = pool.view();
            return new Lane() {
                @Override
                public Object cycle(long value) {
                    try (Handle<Payload> h = view.allocate()) {
                        Payload p = h.get();
                        p.value = value + p.id;
                        return p;
                    }
                }

                @Override
                public void close() {
                    view.close();
                }
            };
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
