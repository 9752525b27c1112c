package io.fastalloc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Pools of aligned direct {@link ByteBuffer}s, all carved from one off-heap slab: the buffers a
 * market-data decoder, an order gateway or a network server reuses instead of allocating.
 *
 * <pre>{@code
 * Pool<ByteBuffer> pool = BufferPool.create(1024, 1500, 64);   // a FixedPool of 1024 buffers
 * try (Handle<ByteBuffer> h = pool.allocate()) {
 *     ByteBuffer buffer = h.get();                             // position 0, limit 1500
 *     buffer.putLong(seq).putLong(System.nanoTime());
 * } // cleared (position 0, limit = capacity) and back in the pool
 * }</pre>
 *
 * <p>The result is an ordinary {@link Pool} of whichever kind the caller picks, by passing that
 * kind's {@code create(PoolConfig)} as a method reference, so buffers get handles, checked mode,
 * statistics and the kind's threading contract like any other pooled object:
 * <pre>{@code
 * FixedPool<ByteBuffer> confined = BufferPool.create(1024, 1500, 64, FixedPool::create);
 * // when the concurrent kinds are on the class path: ThreadSafePool::create, SpscPool::create, MpmcPool::create
 * }</pre>
 *
 * <p><b>Layout.</b> The slab is one {@code ByteBuffer.allocateDirect(count * stride + alignment - 1)}
 * narrowed with {@link ByteBuffer#alignedSlice(int)} so that it starts at an address that is a
 * multiple of {@code alignment}; buffer {@code i} is the slice at {@code i * stride} of
 * {@code bufferSize} bytes, where {@code stride} is {@code bufferSize} rounded up to a multiple of
 * {@code alignment}. So every buffer starts at a multiple of {@code alignment}
 * ({@code buffer.alignmentOffset(0, alignment) == 0}) and no two buffers overlap:
 * <pre>
 *   slab:  |pad|  buffer 0  |gap|  buffer 1  |gap| ... |  buffer count-1  |gap|
 *              ^ aligned        ^ aligned                ^ aligned
 *              &lt;--- stride ---&gt;&lt;--- stride ---&gt;
 * </pre>
 * The slab lives as long as any of its buffers is reachable; it is freed with the pool when the pool
 * and every buffer become unreachable (the JDK's cleaner for direct buffers).
 *
 * <p><b>Release.</b> Closing a handle clears the buffer (position 0, limit = capacity, mark
 * discarded), restores the pool's byte order and, with {@link Builder#zeroOnRelease(boolean)},
 * writes zeros over all of its {@code bufferSize} bytes (eight at a time). Nothing is allocated:
 * allocate + close stays garbage-free in unchecked mode.
 *
 * <p><b>The pool kind.</b> The buffers are made by a factory that hands out the slab's slices in
 * order, one per call, and throws {@link IllegalStateException} if asked for more than
 * {@code count}: the kind must make exactly {@code config.capacity()} objects, never discard one
 * (the config has no validator and the reset never throws) and never grow. The single-pool kinds do
 * so with the configs made here ({@code maxCapacity == capacity}, {@code EAGER} creation).
 * {@code ThreadLocalPool} makes {@code count} objects per thread: give it
 * {@link Builder#maxThreads(int)}, and the slab holds {@code count x maxThreads} buffers.
 *
 * <p><b>Thread safety</b>: the static methods may be called from any thread. The returned pool is
 * as thread-safe as its kind ({@link FixedPool}: one thread only). A buffer must not be used after
 * its handle is closed: another holder may already be writing it.
 */
public final class BufferPool {
    /** The smallest alignment, in bytes: a {@code long}'s. */
    public static final int MIN_ALIGNMENT = 8;
    /** The largest alignment, in bytes ({@value}, as {@link PoolConfig#MAX_ALIGNMENT}). */
    public static final int MAX_ALIGNMENT = PoolConfig.MAX_ALIGNMENT;

    private BufferPool() {
    }

    /**
     * A single-threaded pool of {@code count} direct buffers of {@code bufferSize} bytes each,
     * every one starting at a multiple of {@code alignment}.
     *
     * @param count      buffers, {@code > 0}
     * @param bufferSize bytes per buffer (each buffer's capacity), {@code > 0}
     * @param alignment  a power of two from {@value #MIN_ALIGNMENT} to {@value #MAX_ALIGNMENT}
     * @return a new {@link FixedPool}
     * @throws IllegalArgumentException naming the bad argument, also when the slab would exceed
     *                                  {@code Integer.MAX_VALUE} bytes
     */
    public static Pool<ByteBuffer> create(int count, int bufferSize, int alignment) {
        return builder(count, bufferSize, alignment).build();
    }

    /**
     * A pool of {@code count} direct buffers of the kind that {@code kind} makes, such as
     * {@code FixedPool::create} or {@code MpmcPool::create}.
     *
     * @param count      buffers, {@code > 0}
     * @param bufferSize bytes per buffer, {@code > 0}
     * @param alignment  a power of two from {@value #MIN_ALIGNMENT} to {@value #MAX_ALIGNMENT}
     * @param kind       a pool kind's {@code create(PoolConfig)}
     * @param <P>        the pool kind
     * @return the pool {@code kind} made
     * @throws IllegalArgumentException naming the bad argument
     */
    public static <P extends Pool<ByteBuffer>> P create(int count, int bufferSize, int alignment,
                                                        Function<? super PoolConfig<ByteBuffer>, P> kind) {
        return builder(count, bufferSize, alignment).build(kind);
    }

    /**
     * A builder for the other settings: zeroing, name, byte order, allocation strategy, checked
     * mode, recorder, wait strategy. The arguments are checked by {@link Builder#build()}.
     *
     * @param count      buffers, {@code > 0}
     * @param bufferSize bytes per buffer, {@code > 0}
     * @param alignment  a power of two from {@value #MIN_ALIGNMENT} to {@value #MAX_ALIGNMENT}
     * @return a new builder
     */
    public static Builder builder(int count, int bufferSize, int alignment) {
        return new Builder(count, bufferSize, alignment);
    }

    /**
     * The distance between the starts of two neighbouring buffers in the slab.
     *
     * @param bufferSize bytes per buffer, {@code > 0}
     * @param alignment  a power of two
     * @return {@code bufferSize} rounded up to a multiple of {@code alignment}, as a {@code long}
     *         (it may exceed {@code Integer.MAX_VALUE} for absurd arguments; {@link Builder#build()}
     *         rejects those)
     */
    public static long stride(int bufferSize, int alignment) {
        return ((long) bufferSize + alignment - 1) & -(long) alignment;
    }

    /**
     * Settings for a buffer pool. Not thread-safe. Each {@code build} makes a new slab and a new
     * pool; a builder may be reused.
     */
    public static final class Builder {
        private final int count;
        private final int bufferSize;
        private final int alignment;
        private boolean zeroOnRelease;
        private String name;
        private ByteOrder byteOrder = ByteOrder.BIG_ENDIAN;
        private AllocationStrategy allocationStrategy = AllocationStrategy.STACK;
        private Boolean checked;
        private PoolRecorder recorder = PoolRecorder.noop();
        private WaitStrategy waitStrategy;
        private int maxThreads;

        private Builder(int count, int bufferSize, int alignment) {
            this.count = count;
            this.bufferSize = bufferSize;
            this.alignment = alignment;
        }

        /**
         * Sets {@code zeroOnRelease}.
         *
         * @param zeroOnRelease also write zeros over the whole buffer on release (for data that must
         *                      not leak to the next holder); default {@code false}
         * @return this builder
         */
        public Builder zeroOnRelease(boolean zeroOnRelease) {
            this.zeroOnRelease = zeroOnRelease;
            return this;
        }

        /**
         * Sets {@code name}.
         *
         * @param name the pool's name in messages and statistics; default: the kind names it
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets {@code byteOrder}.
         *
         * @param byteOrder the order every buffer has when handed out (restored on release);
         *                  default {@link ByteOrder#BIG_ENDIAN}, as any new {@code ByteBuffer}
         * @return this builder
         */
        public Builder byteOrder(ByteOrder byteOrder) {
            this.byteOrder = byteOrder;
            return this;
        }

        /**
         * Sets {@code allocationStrategy}.
         *
         * @param allocationStrategy which free buffer goes out next; default {@code STACK} (the most
         *                           recently released: its cache lines are still hot)
         * @return this builder
         */
        public Builder allocationStrategy(AllocationStrategy allocationStrategy) {
            this.allocationStrategy = allocationStrategy;
            return this;
        }

        /**
         * Sets {@code checked}.
         *
         * @param checked checked leases (see {@link Handle}); default: on iff JVM assertions are on
         * @return this builder
         */
        public Builder checked(boolean checked) {
            this.checked = checked;
            return this;
        }

        /**
         * Sets {@code recorder}.
         *
         * @param recorder receives the pool's events; default {@link PoolRecorder#noop()}
         * @return this builder
         */
        public Builder recorder(PoolRecorder recorder) {
            this.recorder = recorder;
            return this;
        }

        /**
         * Sets {@code waitStrategy}.
         *
         * @param waitStrategy how a concurrent kind waits in a bounded allocate; default: the
         *                     {@link PoolConfig} default
         * @return this builder
         */
        public Builder waitStrategy(WaitStrategy waitStrategy) {
            this.waitStrategy = waitStrategy;
            return this;
        }

        /**
         * For {@code ThreadLocalPool}, which gives every thread its own {@code count} objects: the
         * slab then holds {@code count x maxThreads} buffers and the config caps the pool at
         * {@code maxThreads} per-thread parts. Other kinds make only {@code count} buffers and would
         * leave the rest of the slab unused: do not set it for them.
         *
         * @param maxThreads the most threads with their own buffers at once, {@code > 0}; default:
         *                   not set (the slab holds {@code count} buffers)
         * @return this builder
         */
        public Builder maxThreads(int maxThreads) {
            if (maxThreads <= 0) {
                throw new IllegalArgumentException("maxThreads: " + maxThreads + " (expected: > 0)");
            }
            this.maxThreads = maxThreads;
            return this;
        }

        /**
         * Returns a new single-threaded {@link FixedPool} of the buffers.
         *
         * @return a new single-threaded {@link FixedPool} of the buffers
         * @throws IllegalArgumentException naming the first bad setting
         */
        public Pool<ByteBuffer> build() {
            return build(FixedPool::create);
        }

        /**
         * Builds the buffers and puts them in a pool of the given kind.
         *
         * @param kind a pool kind's {@code create(PoolConfig)}, such as {@code MpmcPool::create}
         * @param <P>  the pool kind
         * @return the pool {@code kind} made from a new slab
         * @throws IllegalArgumentException naming the first bad setting
         */
        public <P extends Pool<ByteBuffer>> P build(Function<? super PoolConfig<ByteBuffer>, P> kind) {
            if (kind == null) {
                throw new IllegalArgumentException(
                        "kind: null (expected: a pool kind's create(PoolConfig), such as FixedPool::create)");
            }
            P pool = kind.apply(config());
            if (pool == null) {
                throw new IllegalArgumentException("kind: returned null (expected: a pool kind's create(PoolConfig))");
            }
            return pool;
        }

        private PoolConfig<ByteBuffer> config() {
            if (count <= 0) {
                throw new IllegalArgumentException("count: " + count + " (expected: > 0)");
            }
            if (bufferSize <= 0) {
                throw new IllegalArgumentException("bufferSize: " + bufferSize + " (expected: > 0)");
            }
            if (alignment < MIN_ALIGNMENT || alignment > MAX_ALIGNMENT || Integer.bitCount(alignment) != 1) {
                throw new IllegalArgumentException("alignment: " + alignment + " (expected: a power of two from "
                        + MIN_ALIGNMENT + " to " + MAX_ALIGNMENT + ")");
            }
            long stride = stride(bufferSize, alignment);
            long buffers = (long) count * Math.max(1, maxThreads);
            long slabBytes = buffers * stride + alignment - 1;
            if (slabBytes > Integer.MAX_VALUE) {
                String what = maxThreads > 0 ? "count x maxThreads " + maxThreads : "count";
                throw new IllegalArgumentException("count: " + count + " (expected: " + what + " x stride " + stride
                        + " + alignment " + alignment + " - 1 <= " + Integer.MAX_VALUE + " bytes, so " + what + " <= "
                        + (Integer.MAX_VALUE - alignment + 1) / stride + ")");
            }
            if (byteOrder == null) {
                throw new IllegalArgumentException("byteOrder: null (expected: BIG_ENDIAN or LITTLE_ENDIAN)");
            }
            if (allocationStrategy == null) {
                throw new IllegalArgumentException("allocationStrategy: null (expected: STACK, FREE_LIST or BITMAP)");
            }
            if (recorder == null) {
                throw new IllegalArgumentException("recorder: null (expected: a PoolRecorder, or PoolRecorder.noop())");
            }
            ByteBuffer slab = ByteBuffer.allocateDirect((int) slabBytes).alignedSlice(alignment);
            PoolConfig.Builder<ByteBuffer> b = PoolConfig.<ByteBuffer>builder()
                    .name(name)
                    .capacity(count)
                    .alignment(alignment)
                    .factory(new Slicer(slab, (int) buffers, bufferSize, (int) stride, byteOrder))
                    .reset(new Reset(byteOrder, zeroOnRelease))
                    .allocationStrategy(allocationStrategy)
                    .initialization(InitializationStrategy.EAGER)
                    .recorder(recorder);
            if (checked != null) {
                b.checked(checked);
            }
            if (waitStrategy != null) {
                b.waitStrategy(waitStrategy);
            }
            if (maxThreads > 0) {
                b.maxThreads(maxThreads);
            }
            return b.build();
        }
    }

    /**
     * Hands out the slab's slices in order. Called by the pool kind while it makes its objects
     * (eagerly, at construction); {@link #next} is atomic so that a kind that makes objects lazily
     * on several threads still gets each slice once.
     */
    private static final class Slicer implements Supplier<ByteBuffer> {
        private final ByteBuffer slab;
        private final int count;
        private final int bufferSize;
        private final int stride;
        private final ByteOrder order;
        /** The next slice's index; getAndIncrement by whichever thread makes an object. */
        private final AtomicInteger next = new AtomicInteger();

        Slicer(ByteBuffer slab, int count, int bufferSize, int stride, ByteOrder order) {
            this.slab = slab;
            this.count = count;
            this.bufferSize = bufferSize;
            this.stride = stride;
            this.order = order;
        }

        @Override
        public ByteBuffer get() {
            int i = next.getAndIncrement();
            if (i >= count || i < 0) {
                throw new IllegalStateException("BufferPool: the pool kind asked for buffer " + (i + 1L)
                        + " but the slab holds " + count
                        + " (a kind must make exactly capacity objects and never discard one)");
            }
            return slab.slice(i * stride, bufferSize).order(order);
        }
    }

    /** Clears a released buffer, restores its byte order and optionally zeroes it. Allocates nothing. */
    private static final class Reset implements Consumer<ByteBuffer> {
        private final ByteOrder order;
        private final boolean zero;

        Reset(ByteOrder order, boolean zero) {
            this.order = order;
            this.zero = zero;
        }

        @Override
        public void accept(ByteBuffer buffer) {
            buffer.clear().order(order);
            if (zero) {
                int n = buffer.capacity();
                int i = 0;
                for (int end = n & ~7; i < end; i += 8) {
                    buffer.putLong(i, 0L);
                }
                for (; i < n; i++) {
                    buffer.put(i, (byte) 0);
                }
            }
        }
    }
}
