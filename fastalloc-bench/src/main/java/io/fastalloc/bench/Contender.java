package io.fastalloc.bench;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
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
    /** The peers: other libraries' pools and plain {@code new}. */
    public static final List<String> PEERS = List.of("commonsPool2", "nettyRecycler", "vibur", "stormpot", "newObject");

    /** One thread's view of a contender. */
    public interface Lane {
        /**
         * Takes an object, writes {@code value} into it, gives it back.
         *
         * @param value what to write
         * @return the object that was used
         */
        Object cycle(long value);
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
            case "vibur":
                return new ViburContender();
            case "stormpot":
                return new StormpotContender();
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
                            + PEERS + " or a PoolKind name)");
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

        static Pool<Payload> newPool(PoolKind kind) {
            long[] ids = {0};
            PoolConfig<Payload> config = PoolConfig.<Payload>builder().name("bench-" + kind.paramName())
                    .capacity(CAPACITY).factory(() -> new Payload(ids[0]++)).checked(false).build();
            return kind.create(config);
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
        private final GenericObjectPool<Payload> pool;

        CommonsPoolContender() {
            GenericObjectPoolConfig<Payload> config = new GenericObjectPoolConfig<>();
            config.setMaxTotal(CAPACITY);
            config.setMaxIdle(CAPACITY);
            config.setJmxEnabled(false);
            pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
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
        private final Recycler<RecycledPayload> recycler = new Recycler<>() {
            private long ids;

            @Override
            protected RecycledPayload newObject(Handle<RecycledPayload> handle) {
                return new RecycledPayload(handle, ids++);
            }
        };

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
        private final stormpot.Pool<StormpotPayload> pool;

        StormpotContender() {
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
            pool = stormpot.Pool.fromInline(allocator).setSize(CAPACITY)
                    .setExpiration(Expiration.never()).build();
        }

        @Override
        public Lane lane() {
            // its best mode: a single-threaded tap per benchmark thread (one per lane, never shared)
            stormpot.PoolTap<StormpotPayload> p0 = fastestTap(pool);
            return value -> {
                StormpotPayload p;
                try {
                    p = p0.claim(TIMEOUT);
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

        @Override
        public void close() {
            pool.shutdown();
        }
    }
}
