package io.fastalloc.stats;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shared kind pairs {@code onWaitStart} with exactly one {@code onWait} on each way a wait
 * ends (time out, an object released, interrupt, pool closed): the recorder's count of waiting
 * threads shows the waiter while it waits and is back at 0 after each. One allocating thread and
 * one closing thread, so the single-role kinds keep their roles.
 */
class WaitRecordingTest {

    static Stream<StatsPoolKind> sharedKinds() {
        return StatsPoolKind.values().stream().filter(StatsPoolKind::shared);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedKinds")
    void shouldEndEveryStartedWaitOnEveryPath(StatsPoolKind kind) throws Exception {
        try (StatsRegistry stats = StatsRegistry.inProcess()) {
            PoolStats recorder = kind.recorder(stats);
            Pool<StringBuilder> pool = kind.create(PoolConfig.<StringBuilder>builder().name("waits-" + kind)
                    .capacity(1).factory(StringBuilder::new).checked(false).recorder(recorder).build());
            ExecutorService allocator = Executors.newSingleThreadExecutor();
            try {
                Handle<StringBuilder> held = allocator.submit(() -> pool.allocate()).get(60, TimeUnit.SECONDS);

                // timed out
                Throwable timedOut = allocator.submit(() -> outcome(pool, 5)).get(60, TimeUnit.SECONDS);
                assertInstanceOf(PoolExhaustedException.class, timedOut);
                assertEquals(0, recorder.waitingThreads(), "after a timeout");
                assertEquals(1, recorder.value(PoolCounter.WAITS));

                // an object released while the thread waits
                Future<Handle<StringBuilder>> waiter = allocator.submit(() -> pool.allocate(60, TimeUnit.SECONDS));
                awaitWaiting(recorder, 1);
                held.close();
                Handle<StringBuilder> got = waiter.get(60, TimeUnit.SECONDS);
                assertEquals(0, recorder.waitingThreads(), "after a wait that got an object");
                assertEquals(2, recorder.value(PoolCounter.WAITS));

                // interrupted
                CompletableFuture<Throwable> interrupted = new CompletableFuture<>();
                Future<?> task = allocator.submit(() -> interrupted.complete(outcome(pool, 60_000)));
                awaitWaiting(recorder, 1);
                task.cancel(true);
                assertInstanceOf(InterruptedException.class, interrupted.get(60, TimeUnit.SECONDS));
                assertEquals(0, recorder.waitingThreads(), "after an interrupt");
                assertEquals(3, recorder.value(PoolCounter.WAITS));

                // the pool closed while the thread waits: an IllegalStateException, or the timeout for a
                // kind that does not look at its closed state while it waits
                Future<Throwable> closed = allocator.submit(() -> outcome(pool, 2_000));
                awaitWaiting(recorder, 1);
                pool.close();
                Throwable end = closed.get(60, TimeUnit.SECONDS);
                assertTrue(end instanceof IllegalStateException || end instanceof PoolExhaustedException,
                        "a wait ended by close: " + end);
                assertEquals(0, recorder.waitingThreads(), "after a close");
                assertEquals(4, recorder.value(PoolCounter.WAITS));
                got.close();
            } finally {
                allocator.shutdownNow();
                assertTrue(allocator.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    /** A timed allocate's outcome: what it threw, or null when it got an object (closed at once). */
    private static Throwable outcome(Pool<StringBuilder> pool, long millis) {
        try {
            pool.allocate(millis, TimeUnit.MILLISECONDS).close();
            return null;
        } catch (InterruptedException | RuntimeException e) {
            return e;
        }
    }

    private static void awaitWaiting(PoolStats recorder, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recorder.waitingThreads() != expected && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(expected, recorder.waitingThreads(), "threads waiting");
    }
}
