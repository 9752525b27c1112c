// Run: java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.ServerConnections
package io.fastalloc.examples;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.ThreadSafePool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's connection pool: a few expensive connections shared by more worker threads than there
 * are connections, in a {@link ThreadSafePool}. Workers wait for a free connection with a timed
 * {@code allocate}; a validator drops connections that broke while in use (the pool makes a new one
 * in their slot on next use); {@link AllocationStrategy#FREE_LIST} hands out the least recently used
 * connection, so all of them stay warm.
 */
public final class ServerConnections {
    private ServerConnections() {
    }

    /** A stand-in for a network connection. */
    static final class Connection {
        private static final AtomicInteger OPENED = new AtomicInteger();
        final int id = OPENED.incrementAndGet();
        final AtomicInteger holders = new AtomicInteger(); // proves no two threads hold it at once
        boolean broken;
        int requestsServed;

        String query(String sql) {
            if (ThreadLocalRandom.current().nextInt(50) == 0) {
                broken = true; // the peer went away
            }
            requestsServed++;
            return "conn-" + id + ": " + sql;
        }

        void clearSession() {
            // a real connection would roll back, reset session state, ...
        }

        boolean isHealthy() {
            return !broken;
        }
    }

    /**
     * What the server did.
     *
     * @param workers             worker threads
     * @param capacity            connections in the pool
     * @param requests            requests served
     * @param connectionsOpened   connections the factory made (capacity, plus one per broken one replaced)
     * @param overlaps            times a connection was found held by two threads at once (0 expected)
     * @param timedOut            whether a timed allocate with every connection held gave up with
     *                            {@link PoolExhaustedException}
     * @param inUseAtEnd          connections still out at the end (0 expected)
     */
    public record Result(int workers, int capacity, int requests, int connectionsOpened, int overlaps,
                         boolean timedOut, int inUseAtEnd) {
    }

    /**
     * Runs the example.
     *
     * @return what the server did
     * @throws Exception when a worker fails
     */
    public static Result run() throws Exception {
        int capacity = 4;
        int workers = 8;
        int requestsPerWorker = 500;
        int openedBefore = Connection.OPENED.get();
        AtomicInteger overlaps = new AtomicInteger();
        PoolConfig<Connection> config = PoolConfig.<Connection>builder()
                .name("db-connections")
                .capacity(capacity)
                .factory(Connection::new)
                .reset(Connection::clearSession)
                .validator(Connection::isHealthy)     // broken connections are discarded on release
                .allocationStrategy(AllocationStrategy.FREE_LIST)
                .build();
        try (ThreadSafePool<Connection> pool = ThreadSafePool.create(config)) {
            ExecutorService executor = Executors.newFixedThreadPool(workers);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    results.add(executor.submit(() -> {
                        int served = 0;
                        for (int i = 0; i < requestsPerWorker; i++) {
                            // wait up to a second for a free connection
                            try (Handle<Connection> h = pool.allocate(1, TimeUnit.SECONDS)) {
                                Connection c = h.get();
                                if (c.holders.incrementAndGet() != 1) {
                                    overlaps.incrementAndGet();
                                }
                                c.query("SELECT " + i);
                                served++;
                                c.holders.decrementAndGet();
                            }
                        }
                        return served;
                    }));
                }
                int requests = 0;
                for (Future<Integer> f : results) {
                    requests += f.get();
                }

                // every connection held: a timed allocate waits, then gives up taking nothing
                List<Handle<Connection>> all = pool.allocateBatch(capacity);
                boolean timedOut;
                try {
                    pool.allocate(50, TimeUnit.MILLISECONDS).close();
                    timedOut = false;
                } catch (PoolExhaustedException e) {
                    timedOut = true;
                }
                all.forEach(Handle::close);
                int opened = Connection.OPENED.get() - openedBefore;
                return new Result(workers, capacity, requests, opened, overlaps.get(), timedOut, pool.inUse());
            } finally {
                executor.shutdown();
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * @param args ignored
     * @throws Exception when a worker fails
     */
    public static void main(String[] args) throws Exception {
        Result r = run();
        System.out.println("ServerConnections");
        System.out.printf("  %d workers shared %d connections and served %d requests%n", r.workers(), r.capacity(),
                r.requests());
        System.out.printf(
                "  connections opened: %d (%d at start, the rest replaced broken ones the validator dropped)%n",
                r.connectionsOpened(), r.capacity());
        System.out.printf("  a connection held by two threads at once: %d times%n", r.overlaps());
        System.out.printf("  allocate(50 ms) with all connections held gave up: %b%n", r.timedOut());
        System.out.printf("  connections still out: %d%n", r.inUseAtEnd());
    }
}
