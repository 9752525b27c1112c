package io.fastalloc.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Request handling: one operation serves {@value Server#REQUESTS} requests. Each request takes three
 * objects (the request, its parsed header, its response), is parsed into them, waits in a window of
 * {@value Server#IN_FLIGHT} requests in flight (as a server interleaves requests on its connections),
 * is then answered (status, body length, a routing decision) and gives its three objects back.
 * Pooled (a {@link PoolKind}) against plain {@code new}, with each benchmark thread serving its own
 * requests.
 *
 * <p>Read the time beside {@code -prof gc}'s allocation rate and GC count and time: the JVM's TLAB
 * allocation is cheap, and where {@code new} is as fast, the pool's case rests on GC and tail
 * latency, not on the average.
 *
 * <p>{@link Mode#SampleTime} times every operation (they take milliseconds, so the timer's own cost
 * does not count): the score is their mean (JMH's interval for it is taken over the samples, so it is
 * narrower than average-time mode's over iterations), and the distribution gives the tail (p99, p99.9,
 * the longest), where a collection's pause shows.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class RequestHandlingScenario {

    /** A parsed request line. */
    public static final class Request {
        long id;
        int method;
        long pathHash;
        int contentLength;
        long receivedNanos;
    }

    /** A parsed header block. */
    public static final class Header {
        long hostHash;
        int keepAlive;
        int acceptEncoding;
        long traceId;
    }

    /** A response under construction. */
    public static final class Response {
        int status;
        int bodyLength;
        int route;
        long latency;
    }

    /** One thread's server: the three sources and the request stream. */
    public static final class Server {
        /** Requests per operation. */
        public static final int REQUESTS = 100_000;
        /** Requests in flight at once. */
        public static final int IN_FLIGHT = 64;

        private final ObjectSource<Request> requests;
        private final ObjectSource<Header> headers;
        private final ObjectSource<Response> responses;
        private long seed = 0xD1B54A32D192ED03L;
        private long nextId;

        /**
         * @param contender {@value ObjectSource#NEW} or a {@link PoolKind} name
         */
        public Server(String contender) {
            requests = ObjectSource.create(contender, Request.class, IN_FLIGHT, Request::new);
            headers = ObjectSource.create(contender, Header.class, IN_FLIGHT, Header::new);
            responses = ObjectSource.create(contender, Response.class, IN_FLIGHT, Response::new);
        }

        private long next() {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            return seed;
        }

        /** @return a checksum of the responses */
        public long serve() {
            long sum = 0;
            for (int n = 0; n < REQUESTS + IN_FLIGHT; n++) {
                int slot = n & (IN_FLIGHT - 1);
                if (n >= IN_FLIGHT) {
                    sum += answer(slot, n);
                }
                if (n < REQUESTS) {
                    parse(slot, n);
                }
            }
            return sum;
        }

        private void parse(int slot, long now) {
            long r = next();
            requests.acquire(slot);
            Request req = requests.items[slot];
            req.id = nextId++;
            req.method = (int) (r & 3);
            req.pathHash = r >>> 8;
            req.contentLength = req.method == 1 ? (int) ((r >>> 40) & 0xFFF) : 0;
            req.receivedNanos = now;
            headers.acquire(slot);
            Header h = headers.items[slot];
            h.hostHash = r * 31;
            h.keepAlive = (int) ((r >>> 4) & 1);
            h.acceptEncoding = (int) ((r >>> 5) & 3);
            h.traceId = req.id ^ r;
            responses.acquire(slot);
            Response resp = responses.items[slot];
            resp.status = 0;
            resp.bodyLength = 0;
            resp.route = -1;
            resp.latency = 0;
        }

        private long answer(int slot, long now) {
            Request req = requests.items[slot];
            Header h = headers.items[slot];
            Response resp = responses.items[slot];
            resp.route = (int) (req.pathHash % 16);
            resp.status = resp.route == 15 ? 404 : (req.method == 1 && req.contentLength == 0 ? 400 : 200);
            resp.bodyLength = resp.status == 200 ? 128 + (int) (h.hostHash & 0x3FF) + h.acceptEncoding * 7 : 0;
            resp.latency = now - req.receivedNanos;
            long result = resp.status + resp.bodyLength + resp.latency + h.keepAlive + (h.traceId & 0xFF);
            responses.release(slot);
            headers.release(slot);
            requests.release(slot);
            return result;
        }
    }

    /** One thread's server. */
    @State(Scope.Thread)
    public static class ServerState {
        /** Pooled ({@link PoolKind} name) or plain {@code new}. */
        @Param({"newObject", "fixedPool"})
        public String contender;

        Server server;

        /** Makes the server. */
        @Setup(Level.Trial)
        public void setUp() {
            server = new Server(contender);
        }
    }

    /**
     * @param s this thread's server
     * @return the checksum of the responses
     */
    @Benchmark
    public long serve(ServerState s) {
        return s.server.serve();
    }
}
