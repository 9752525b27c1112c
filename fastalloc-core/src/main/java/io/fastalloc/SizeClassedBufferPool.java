package io.fastalloc;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Direct buffers in power-of-two size classes, from {@code minBytes} to {@code maxBytes}: each class
 * is a {@link BufferPool} of the caller's pool kind, and {@link #allocate(int)} takes from the
 * smallest class whose buffers hold the requested number of bytes.
 *
 * <pre>{@code
 * SizeClassedBufferPool pool = SizeClassedBufferPool.builder(64, 65536) // classes 64, 128, ..., 65536
 *         .countPerClass(256)
 *         .oversizePolicy(SizeClassedBufferPool.OversizePolicy.ALLOCATE_UNPOOLED)
 *         .build();                                                   // FixedPool classes
 * try (Handle<ByteBuffer> h = pool.allocate(1500)) {                  // from the 2048-byte class
 *     ByteBuffer b = h.get();                                         // limit 1500, capacity 2048
 * }
 * }</pre>
 *
 * <p><b>Choosing the class</b> is O(1): the class of {@code n} bytes is
 * {@code max(0, ceil(log2(n)) - log2(minBytes))}, with {@code ceil(log2(n))} computed as
 * {@code 32 - Integer.numberOfLeadingZeros(n - 1)}. A request of {@code 0} or {@code 1} byte, or of
 * anything up to {@code minBytes}, takes the smallest class; exactly {@code 2^k} bytes takes the
 * {@code 2^k} class; {@code 2^k + 1} the next one.
 *
 * <p><b>The handed-out buffer</b> has position 0, <em>limit = the requested size</em> and capacity =
 * the class size: {@code remaining()} is what was asked for (so a bulk {@code put} past it fails
 * fast), and {@code capacity()} tells how much room there is if the caller wants to
 * {@code clear()} and use all of it. Release clears it (limit back to capacity) as every
 * {@code BufferPool} does.
 *
 * <p><b>A request above {@code maxBytes}</b> is counted ({@link #oversizeCount()}) and then handled
 * by the {@link OversizePolicy}: {@code REJECT} (the default) throws
 * {@link IllegalArgumentException}; {@code ALLOCATE_UNPOOLED} returns a handle on a new direct
 * buffer of exactly the requested size, aligned as the pooled ones, that closing merely drops. Such
 * requests allocate (the buffer and its handle); count them to size {@code maxBytes}.
 * A class that is exhausted does not borrow from a larger one: {@link #allocate(int)} throws
 * {@link PoolExhaustedException} and {@link #tryAllocate(int)} returns {@code null}.
 *
 * <p><b>Thread safety</b>: as the classes' pool kind ({@link FixedPool}, the default: one thread
 * only). The class table is immutable after construction; {@link #oversizeCount()} is an atomic
 * counter that any thread may read. <b>Memory effects</b>: those of the kind.
 */
public final class SizeClassedBufferPool implements AutoCloseable {
    /** The largest class size, in bytes: 1 GiB. */
    public static final int MAX_CLASS_BYTES = 1 << 30;

    /** What a request for more than {@code maxBytes} gets. */
    public enum OversizePolicy {
        /** An {@link IllegalArgumentException} naming the request and the largest class. */
        REJECT,
        /**
         * A handle on a new direct buffer of exactly the requested size, not pooled: closing the
         * handle drops it, and the garbage collector frees it.
         */
        ALLOCATE_UNPOOLED
    }

    private final Pool<ByteBuffer>[] classes;
    private final int minShift;
    private final int minBytes;
    private final int maxBytes;
    private final int alignment;
    private final String name;
    private final OversizePolicy oversizePolicy;
    /** Incremented (getAndIncrement) by whichever thread makes an oversize request; read with get. */
    private final AtomicLong oversize = new AtomicLong();
    /** Written once by close (volatile); read on the oversize path, which has no pool to ask. */
    private volatile boolean closed;

    private SizeClassedBufferPool(Builder b, Pool<ByteBuffer>[] classes) {
        this.classes = classes;
        this.minBytes = b.minBytes;
        this.maxBytes = b.maxBytes;
        this.minShift = Integer.numberOfTrailingZeros(b.minBytes);
        this.alignment = b.alignment;
        this.name = b.name != null ? b.name : "SizeClassedBufferPool";
        this.oversizePolicy = b.oversizePolicy;
    }

    /**
     * Starts a pool whose classes go from {@code minBytes} to {@code maxBytes}, doubling.
     *
     * @param minBytes the smallest class, a power of two from 1 to {@code maxBytes}
     * @param maxBytes the largest class, a power of two up to {@value #MAX_CLASS_BYTES}
     * @return a new builder; the arguments are checked by {@link Builder#build()}
     */
    public static Builder builder(int minBytes, int maxBytes) {
        return new Builder(minBytes, maxBytes);
    }

    /**
     * Takes a buffer of at least {@code bytes} bytes from the smallest class that fits.
     *
     * @param bytes the size wanted, {@code >= 0}; the buffer's limit
     * @return a handle on a buffer with position 0 and limit {@code bytes}
     * @throws PoolExhaustedException   when the class is exhausted
     * @throws IllegalArgumentException when {@code bytes < 0}, or above {@code maxBytes} under
     *                                  {@link OversizePolicy#REJECT}
     * @throws IllegalStateException    when the pool is closed
     */
    public Handle<ByteBuffer> allocate(int bytes) {
        int index = classIndex(bytes);
        if (index < 0) {
            return oversize(bytes);
        }
        Handle<ByteBuffer> handle = classes[index].allocate();
        handle.get().limit(bytes);
        return handle;
    }

    /**
     * Takes a buffer of at least {@code bytes} bytes from the smallest class that fits, if that
     * class has one free. Allocates nothing and throws nothing on exhaustion.
     *
     * @param bytes the size wanted, {@code >= 0}; the buffer's limit
     * @return a handle on a buffer with position 0 and limit {@code bytes}, or {@code null} when the
     *         class is exhausted
     * @throws IllegalArgumentException when {@code bytes < 0}, or above {@code maxBytes} under
     *                                  {@link OversizePolicy#REJECT}
     * @throws IllegalStateException    when the pool is closed
     */
    public Handle<ByteBuffer> tryAllocate(int bytes) {
        int index = classIndex(bytes);
        if (index < 0) {
            return oversize(bytes);
        }
        Handle<ByteBuffer> handle = classes[index].tryAllocate();
        if (handle != null) {
            handle.get().limit(bytes);
        }
        return handle;
    }

    /**
     * Finds the class that serves a request of {@code bytes}.
     *
     * @param bytes a size, {@code >= 0}
     * @return the index of the smallest class whose buffers hold {@code bytes}, or {@code -1} when
     *         {@code bytes > maxBytes}
     * @throws IllegalArgumentException when {@code bytes < 0}
     */
    public int classIndex(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
        }
        int ceilLog2 = 32 - Integer.numberOfLeadingZeros(Math.max(bytes, 1) - 1);
        int index = Math.max(ceilLog2 - minShift, 0);
        return index < classes.length ? index : -1;
    }

    private Handle<ByteBuffer> oversize(int bytes) {
        oversize.getAndIncrement();
        if (closed) {
            throw new IllegalStateException(name + ": the pool is closed");
        }
        if (oversizePolicy == OversizePolicy.REJECT) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: <= maxBytes " + maxBytes
                    + ", the largest size class of " + name + "; oversize policy REJECT)");
        }
        long direct = BufferPool.stride(bytes, alignment) + alignment - 1;
        if (direct > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bytes: " + bytes
                    + " (expected: small enough for one direct buffer aligned to " + alignment
                    + ": bytes rounded up to it, plus " + (alignment - 1) + ", <= " + Integer.MAX_VALUE + ")");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) direct).alignedSlice(alignment).slice(0, bytes);
        return new UnpooledHandle(name, buffer);
    }

    /** {@return how many requests asked for more than {@code maxBytes} (rejected or not), since construction} */
    public long oversizeCount() {
        return oversize.get();
    }

    /** {@return the number of size classes} */
    public int classCount() {
        return classes.length;
    }

    /**
     * Returns the buffer size of a class.
     *
     * @param index a class index, from {@code 0} to {@code classCount() - 1}
     * @return the class's buffer size, {@code minBytes << index}
     */
    public int classSize(int index) {
        Objects.checkIndex(index, classes.length);
        return minBytes << index;
    }

    /**
     * Returns the pool of a class.
     *
     * @param index a class index, from {@code 0} to {@code classCount() - 1}
     * @return the class's pool, for its statistics ({@code available()}, {@code inUse()}, ...)
     */
    public Pool<ByteBuffer> pool(int index) {
        return classes[index];
    }

    /** {@return the smallest class size} */
    public int minBytes() {
        return minBytes;
    }

    /** {@return the largest class size} */
    public int maxBytes() {
        return maxBytes;
    }

    /** {@return what a request above {@link #maxBytes()} gets} */
    public OversizePolicy oversizePolicy() {
        return oversizePolicy;
    }

    /** Closes every class's pool: no new allocations; outstanding handles may still be closed. Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Pool<ByteBuffer> pool : classes) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "SizeClassedBufferPool{name=" + name + ", classes=" + minBytes + ".." + maxBytes + " (" + classes.length
                + "), oversizePolicy=" + oversizePolicy + ", oversizeCount=" + oversize.get()
                + (closed ? ", closed" : "") + '}';
    }

    /** The handle on an unpooled oversize buffer: closing drops the reference. Used by one thread at a time. */
    private static final class UnpooledHandle implements Handle<ByteBuffer> {
        private final String poolName;
        private final int size;
        /** The buffer until close; plain, written and read by the holder only. */
        private ByteBuffer buffer;

        UnpooledHandle(String poolName, ByteBuffer buffer) {
            this.poolName = poolName;
            this.size = buffer.limit();
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer get() {
            ByteBuffer b = buffer;
            if (b == null) {
                throw new IllegalStateException(poolName + ": get() on a released unpooled buffer of " + size
                        + " bytes");
            }
            return b;
        }

        @Override
        public void close() {
            if (buffer == null) {
                throw new IllegalStateException(poolName + ": double release of an unpooled buffer of " + size
                        + " bytes");
            }
            buffer = null;
        }

        @Override
        public String toString() {
            return poolName + " unpooled buffer of " + size + " bytes" + (buffer == null ? " (released)" : "");
        }
    }

    /** Settings for a {@link SizeClassedBufferPool}. Not thread-safe; may be reused. */
    public static final class Builder {
        private final int minBytes;
        private final int maxBytes;
        private int countPerClass;
        private boolean countPerClassSet;
        private int[] counts;
        private int alignment = 64;
        private boolean zeroOnRelease;
        private String name;
        private OversizePolicy oversizePolicy = OversizePolicy.REJECT;
        private Boolean checked;

        private Builder(int minBytes, int maxBytes) {
            this.minBytes = minBytes;
            this.maxBytes = maxBytes;
        }

        /**
         * Sets {@code countPerClass}.
         *
         * @param countPerClass buffers in every class, {@code > 0}; required unless {@link #counts(int...)} is given
         * @return this builder
         */
        public Builder countPerClass(int countPerClass) {
            this.countPerClass = countPerClass;
            this.countPerClassSet = true;
            this.counts = null;
            return this;
        }

        /**
         * Sets {@code counts}.
         *
         * @param counts buffers per class, smallest class first, one value per class (each {@code > 0})
         * @return this builder
         */
        public Builder counts(int... counts) {
            this.counts = counts == null ? null : counts.clone();
            this.countPerClassSet = false;
            return this;
        }

        /**
         * Sets {@code alignment}.
         *
         * @param alignment every buffer's alignment, a power of two from {@value BufferPool#MIN_ALIGNMENT}
         *                  to {@value BufferPool#MAX_ALIGNMENT}; default 64 (a cache line)
         * @return this builder
         */
        public Builder alignment(int alignment) {
            this.alignment = alignment;
            return this;
        }

        /**
         * Sets {@code zeroOnRelease}.
         *
         * @param zeroOnRelease write zeros over a buffer on release; default {@code false}
         * @return this builder
         */
        public Builder zeroOnRelease(boolean zeroOnRelease) {
            this.zeroOnRelease = zeroOnRelease;
            return this;
        }

        /**
         * Sets {@code name}.
         *
         * @param name the pool's name; class {@code s} is named {@code name + "-" + s}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets {@code oversizePolicy}.
         *
         * @param oversizePolicy what a request above {@code maxBytes} gets; default {@link OversizePolicy#REJECT}
         * @return this builder
         */
        public Builder oversizePolicy(OversizePolicy oversizePolicy) {
            this.oversizePolicy = oversizePolicy;
            return this;
        }

        /**
         * Sets {@code checked}.
         *
         * @param checked checked leases for every class; default: on iff JVM assertions are on
         * @return this builder
         */
        public Builder checked(boolean checked) {
            this.checked = checked;
            return this;
        }

        /**
         * Returns a pool whose classes are single-threaded {@link FixedPool}s.
         *
         * @return a pool whose classes are single-threaded {@link FixedPool}s
         * @throws IllegalArgumentException naming the first bad setting
         */
        public SizeClassedBufferPool build() {
            return build(FixedPool::create);
        }

        /**
         * Builds the pool, every class a pool of the given kind.
         *
         * @param kind a pool kind's {@code create(PoolConfig)}, such as {@code MpmcPool::create}
         * @return a pool whose classes are of that kind, each on its own slab
         * @throws IllegalArgumentException naming the first bad setting
         */
        public SizeClassedBufferPool build(Function<? super PoolConfig<ByteBuffer>, ? extends Pool<ByteBuffer>> kind) {
            if (minBytes <= 0 || Integer.bitCount(minBytes) != 1) {
                throw new IllegalArgumentException("minBytes: " + minBytes + " (expected: a power of two >= 1)");
            }
            if (maxBytes < minBytes || maxBytes > MAX_CLASS_BYTES || Integer.bitCount(maxBytes) != 1) {
                throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: a power of two from minBytes "
                        + minBytes + " to " + MAX_CLASS_BYTES + ")");
            }
            if (alignment < BufferPool.MIN_ALIGNMENT || alignment > BufferPool.MAX_ALIGNMENT
                    || Integer.bitCount(alignment) != 1) {
                throw new IllegalArgumentException("alignment: " + alignment + " (expected: a power of two from "
                        + BufferPool.MIN_ALIGNMENT + " to " + BufferPool.MAX_ALIGNMENT + ")");
            }
            if (oversizePolicy == null) {
                throw new IllegalArgumentException("oversizePolicy: null (expected: REJECT or ALLOCATE_UNPOOLED)");
            }
            if (kind == null) {
                throw new IllegalArgumentException(
                        "kind: null (expected: a pool kind's create(PoolConfig), such as FixedPool::create)");
            }
            int n = Integer.numberOfTrailingZeros(maxBytes) - Integer.numberOfTrailingZeros(minBytes) + 1;
            int[] perClass = perClassCounts(n);
            for (int i = 0; i < n; i++) {
                int size = minBytes << i;
                long slab = perClass[i] * BufferPool.stride(size, alignment) + alignment - 1;
                if (slab > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(countField(i) + perClass[i] + " (expected: the " + size
                            + "-byte class's slab, count x stride " + BufferPool.stride(size, alignment)
                            + " + alignment - 1, <= " + Integer.MAX_VALUE + " bytes)");
                }
            }
            @SuppressWarnings("unchecked")
            Pool<ByteBuffer>[] classes = (Pool<ByteBuffer>[]) new Pool<?>[n];
            for (int i = 0; i < n; i++) {
                int size = minBytes << i;
                BufferPool.Builder b = BufferPool.builder(perClass[i], size, alignment).zeroOnRelease(zeroOnRelease);
                if (name != null) {
                    b.name(name + "-" + size);
                }
                if (checked != null) {
                    b.checked(checked);
                }
                classes[i] = b.build(kind);
            }
            return new SizeClassedBufferPool(this, classes);
        }

        private int[] perClassCounts(int n) {
            if (counts != null) {
                if (counts.length != n) {
                    throw new IllegalArgumentException("counts: " + counts.length + " values (expected: " + n
                            + ", one per size class from " + minBytes + " to " + maxBytes + ")");
                }
                for (int i = 0; i < n; i++) {
                    if (counts[i] <= 0) {
                        throw new IllegalArgumentException(countField(i) + counts[i] + " (expected: > 0)");
                    }
                }
                return counts;
            }
            if (!countPerClassSet || countPerClass <= 0) {
                throw new IllegalArgumentException("countPerClass: "
                        + (countPerClassSet ? String.valueOf(countPerClass) : "not set")
                        + " (expected: > 0, or counts(...) with one value per class)");
            }
            int[] all = new int[n];
            Arrays.fill(all, countPerClass);
            return all;
        }

        private String countField(int index) {
            return counts != null ? "counts[" + index + "]: " : "countPerClass: ";
        }
    }
}
