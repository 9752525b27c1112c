// Run: java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.VirtualThreadServer
package io.fastalloc.examples;

import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.lockfree.CachingPool;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A server that handles each request on its own virtual thread (JDK 21+), every handler taking its
 * scratch object from one shared pool. Thousands of virtual threads run at once but only
 * {@code capacity} objects exist: a handler that finds none free waits in a timed
 * {@code allocate}, and the pool hands it the next one released.
 *
 * <p>The pool is a {@link CachingPool}: its per-thread caches are a fixed number of stripes chosen
 * by thread id (about two per processor), not a structure per thread, so however many virtual
 * threads come and go its memory stays bounded; a stripe whose thread has ended is adopted by the
 * next one, and threads that find no stripe use the shared depot directly. It never blocks on a
 * lock ({@code synchronized} would pin a virtual thread to its carrier); a handler that finds no
 * free object waits with the config's {@link io.fastalloc.WaitStrategy}, here one that parks at
 * once, which unmounts a virtual thread. A pool with a part per thread
 * ({@code ThreadLocalPool}) would instead make a part for every virtual thread running at once.
 * {@code ThreadSafePool} (one lock, a {@code Condition} for waiters, never {@code synchronized})
 * works here too, with a lock acquisition per allocate and per close.
 *
 * <p>The module compiles for Java 17, so the virtual-thread executor is looked up by reflection; on
 * a JDK before 21 the example says so and exits normally.
 */
public final class VirtualThreadServer {
    /** Requests the server handles. */
    public static final int REQUESTS = 10_000;
    /** Objects in the shared pool. */
    public static final int CAPACITY = 64;

    private VirtualThreadServer() {
    }

    /** A handler's scratch space: reused across requests, reset on release. */
    static final class RequestContext {
        final StringBuilder response = new StringBuilder(128);
        final AtomicInteger holders = new AtomicInteger(); // proves no two handlers share one

        void clear() {
            response.setLength(0);
        }
    }

    /**
     * What the server did.
     *
     * @param supported       whether this JDK has virtual threads (21+); when not, nothing else was done
     * @param requests        requests submitted
     * @param handled         requests that completed with a response
     * @param onVirtualThread requests whose handler ran on a virtual thread
     * @param overlaps        times a context was found held by two handlers at once (0 expected)
     * @param peakInUse       most contexts out at once (at most {@code capacity})
     * @param capacity        contexts in the pool
     * @param inUseAtEnd      contexts still out at the end (0 expected)
     */
    public record Result(boolean supported, int requests, int handled, int onVirtualThread, int overlaps,
                         int peakInUse, int capacity, int inUseAtEnd) {
    }

    /**
     * @return {@code Executors.newVirtualThreadPerTaskExecutor()}, or {@code null} before JDK 21
     */
    static ExecutorService newVirtualThreadPerTaskExecutor() {
        try {
            MethodHandle factory = MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
            return (ExecutorService) factory.invokeExact();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        } catch (Throwable t) {
            throw new IllegalStateException("newVirtualThreadPerTaskExecutor failed", t);
        }
    }

    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Runs the server.
     *
     * @return what it did; {@link Result#supported()} is false before JDK 21
     * @throws Exception when a handler fails
     */
    public static Result run() throws Exception {
        ExecutorService executor = newVirtualThreadPerTaskExecutor();
        if (executor == null) {
            return new Result(false, 0, 0, 0, 0, 0, CAPACITY, 0);
        }
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger onVirtual = new AtomicInteger();
        AtomicInteger out = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        PoolConfig<RequestContext> config = PoolConfig.<RequestContext>builder()
                .name("request-contexts")
                .capacity(CAPACITY)
                .factory(RequestContext::new)
                .reset(RequestContext::clear)
                // a waiting virtual thread should park at once (parking unmounts it; spinning would
                // hold its carrier): 10 us doubling to 1 ms between attempts, allocating nothing
                .waitStrategy(attempt -> LockSupport.parkNanos(10_000L << Math.min(attempt, 7)))
                .build();
        try (CachingPool<RequestContext> pool = CachingPool.create(config)) {
            List<Future<String>> responses = new ArrayList<>(REQUESTS);
            try {
                for (int i = 0; i < REQUESTS; i++) {
                    int request = i;
                    responses.add(executor.submit(() -> handle(pool, request, overlaps, onVirtual, out, peak)));
                }
                int handled = 0;
                for (int i = 0; i < REQUESTS; i++) {
                    if (responses.get(i).get().equals("200 OK /item/" + i)) {
                        handled++;
                    }
                }
                return new Result(true, REQUESTS, handled, onVirtual.get(), overlaps.get(), peak.get(), CAPACITY,
                        pool.inUse());
            } finally {
                executor.shutdown();
                executor.awaitTermination(70, TimeUnit.SECONDS);
            }
        }
    }

    private static String handle(CachingPool<RequestContext> pool, int request, AtomicInteger overlaps,
                                 AtomicInteger onVirtual, AtomicInteger out, AtomicInteger peak)
            throws InterruptedException {
        if (isVirtual(Thread.currentThread())) {
            onVirtual.incrementAndGet();
        }
        // wait (parked, unmounted) for a context; thousands of handlers share 64. The generous
        // timeout only guards against a stuck server: on a busy machine a handler may queue long.
        try (Handle<RequestContext> h = pool.allocate(60, TimeUnit.SECONDS)) {
            peak.accumulateAndGet(out.incrementAndGet(), Math::max);
            RequestContext ctx = h.get();
            if (ctx.holders.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            ctx.response.append("200 OK /item/").append(request);
            Thread.sleep(0, 100_000 * (request % 3)); // a little I/O: the virtual thread unmounts
            String response = ctx.response.toString();
            ctx.holders.decrementAndGet();
            out.decrementAndGet();
            return response;
        }
    }

    /**
     * @param args ignored
     * @throws Exception when a handler fails
     */
    public static void main(String[] args) throws Exception {
        Result r = run();
        System.out.println("VirtualThreadServer");
        if (!r.supported()) {
            System.out.println("  virtual threads need JDK 21 or later; this is JDK " + Runtime.version().feature()
                    + ". Nothing to do.");
            return;
        }
        System.out.printf("  %d requests, %d handled, %d on virtual threads%n", r.requests(), r.handled(),
                r.onVirtualThread());
        System.out.printf("  one shared pool of %d contexts: at most %d out at once, %d still out%n",
                r.capacity(), r.peakInUse(), r.inUseAtEnd());
        System.out.printf("  a context held by two handlers at once: %d times%n", r.overlaps());
    }
}
