package io.fastalloc.bench;

import io.netty.util.concurrent.FastThreadLocalThread;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor JMH runs its benchmark threads on when a fork is started with
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=io.fastalloc.bench.FastThreadLocalExecutor}:
 * a fixed pool of Netty {@link FastThreadLocalThread}s.
 *
 * <p>Why: Netty's {@code Recycler} (4.2) takes its fast path (a per-thread batch array in front of
 * its queue) only on {@code FastThreadLocalThread}s, as in a real Netty event loop. On plain threads
 * it still pools, but through an MPSC queue and a slow {@code ThreadLocal} lookup, which is not the
 * Recycler people deploy. JMH cannot be told a thread class directly; its {@code jmh.executor=CUSTOM}
 * hook instantiates this class with {@code (int maxThreads, String prefix)}. Other contenders in the
 * same fork are unaffected: a {@code FastThreadLocalThread} is an ordinary platform thread to them.
 */
public final class FastThreadLocalExecutor extends ThreadPoolExecutor {
    /**
     * @param maxThreads how many threads JMH needs
     * @param prefix     the thread name prefix JMH gives (the benchmark's name)
     */
    public FastThreadLocalExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new Factory(prefix));
    }

    private static final class Factory implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        Factory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new FastThreadLocalThread(r, prefix + "-jmh-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
