package io.fastalloc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.InvalidMarkException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class BufferPoolTest {
    /** Address bits the slice-relationship check looks at: offsets modulo 1 GiB. */
    private static final long MODULUS = 1L << 30;

    private static List<Handle<ByteBuffer>> takeAll(Pool<ByteBuffer> pool) {
        List<Handle<ByteBuffer>> all = new ArrayList<>();
        Handle<ByteBuffer> h;
        while ((h = pool.tryAllocate()) != null) {
            all.add(h);
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096})
    void shouldAlignEveryBufferToTheAlignment(int alignment) {
        for (int bufferSize : new int[] {1, 7, alignment - 1, alignment, alignment + 1, 3 * alignment + 5, 1000}) {
            if (bufferSize <= 0) {
                continue;
            }
            int count = 9;
            Pool<ByteBuffer> pool = BufferPool.create(count, bufferSize, alignment);
            List<Handle<ByteBuffer>> all = takeAll(pool);
            assertEquals(count, all.size());
            Set<Long> offsets = new HashSet<>();
            for (Handle<ByteBuffer> h : all) {
                ByteBuffer b = h.get();
                assertTrue(b.isDirect());
                assertEquals(bufferSize, b.capacity());
                assertEquals(0, b.position());
                assertEquals(bufferSize, b.limit());
                assertEquals(0, b.alignmentOffset(0, alignment),
                        "buffer of " + bufferSize + " bytes at alignment " + alignment);
                offsets.add((long) b.alignmentOffset(0, (int) MODULUS));
            }
            assertEquals(count, offsets.size(), "two buffers start at the same address");
            // the slice relationship: the addresses are base + i * stride for i in [0, count), base aligned
            long stride = BufferPool.stride(bufferSize, alignment);
            assertEquals(0, stride % alignment);
            assertTrue(stride >= bufferSize);
            assertTrue(hasBaseWithStride(offsets, count, stride),
                    "addresses " + offsets + " are not base + i * " + stride);
            all.forEach(Handle::close);
            assertEquals(count, pool.available());
        }
    }

    private static boolean hasBaseWithStride(Set<Long> offsets, int count, long stride) {
        for (long base : offsets) {
            Set<Long> expected = new HashSet<>();
            for (int i = 0; i < count; i++) {
                expected.add((base + i * stride) % MODULUS);
            }
            if (expected.equals(offsets)) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 64, 4096})
    void shouldNotLetWritingOneBufferChangeAnother(int alignment) {
        int count = 33;
        for (int bufferSize : new int[] {1, 13, 100, alignment, alignment + 3}) {
            Pool<ByteBuffer> pool = BufferPool.create(count, bufferSize, alignment);
            List<Handle<ByteBuffer>> all = takeAll(pool);
            for (int i = 0; i < count; i++) {
                ByteBuffer b = all.get(i).get();
                for (int j = 0; j < bufferSize; j++) {
                    b.put(j, pattern(i, j));
                }
            }
            for (int i = 0; i < count; i++) {
                ByteBuffer b = all.get(i).get();
                for (int j = 0; j < bufferSize; j++) {
                    if (b.get(j) != pattern(i, j)) {
                        fail("buffer " + i + " byte " + j + " was overwritten (size " + bufferSize + ", alignment " + alignment + ")");
                    }
                }
            }
            all.forEach(Handle::close);
        }
    }

    private static byte pattern(int buffer, int index) {
        return (byte) (buffer * 31 + index * 7 + 1);
    }

    @Test
    void shouldClearPositionLimitMarkAndOrderOnReleaseWithoutZeroing() {
        Pool<ByteBuffer> pool = BufferPool.create(1, 100, 64);
        Handle<ByteBuffer> h = pool.allocate();
        ByteBuffer b = h.get();
        b.order(ByteOrder.LITTLE_ENDIAN).putLong(0x0102030405060708L).mark().put((byte) 9).limit(20).position(15);
        h.close();

        try (Handle<ByteBuffer> again = pool.allocate()) {
            ByteBuffer c = again.get();
            assertSame(b, c);
            assertEquals(0, c.position());
            assertEquals(100, c.limit());
            assertEquals(ByteOrder.BIG_ENDIAN, c.order());
            assertThrows(InvalidMarkException.class, c::reset);
            assertEquals(0x08, c.get(0), "without zeroOnRelease the bytes stay");
            assertEquals(9, c.get(8));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 64, 100, 4099})
    void shouldZeroEveryByteOnReleaseWhenConfigured(int bufferSize) {
        Pool<ByteBuffer> pool = BufferPool.builder(2, bufferSize, 64).zeroOnRelease(true).byteOrder(ByteOrder.LITTLE_ENDIAN).build();
        List<Handle<ByteBuffer>> all = takeAll(pool);
        for (Handle<ByteBuffer> h : all) {
            ByteBuffer b = h.get();
            assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
            for (int j = 0; j < bufferSize; j++) {
                b.put(j, (byte) 0x5A);
            }
            b.position(bufferSize / 2).limit(bufferSize - bufferSize / 3);
        }
        ByteBuffer kept = all.get(1).get();
        kept.clear();
        all.get(0).close();
        for (int j = 0; j < bufferSize; j++) {
            assertEquals((byte) 0x5A, kept.get(j), "zeroing one buffer touched its neighbour");
        }
        all.get(1).close();
        for (Handle<ByteBuffer> h : takeAll(pool)) {
            ByteBuffer b = h.get();
            assertEquals(0, b.position());
            assertEquals(bufferSize, b.limit());
            assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
            for (int j = 0; j < bufferSize; j++) {
                assertEquals(0, b.get(j), "byte " + j + " of " + bufferSize);
            }
        }
    }

    @Test
    void shouldAcceptEveryPoolKindsCreateAsMethodReference() {
        FixedPool<ByteBuffer> fixed = BufferPool.create(4, 64, 64, FixedPool::create);
        GrowingPool<ByteBuffer> growing = BufferPool.create(4, 64, 64, GrowingPool::create);
        Pool<ByteBuffer> lambda = BufferPool.create(4, 64, 64, config -> FixedPool.create(config));
        Function<PoolConfig<ByteBuffer>, ? extends Pool<ByteBuffer>> kind = FixedPool::create;
        Pool<ByteBuffer> viaWildcard = BufferPool.create(4, 64, 64, kind);
        for (Pool<ByteBuffer> pool : List.of(fixed, growing, lambda, viaWildcard)) {
            assertEquals(4, pool.capacity());
            List<Handle<ByteBuffer>> all = takeAll(pool);
            assertEquals(4, all.size(), "a growing pool of buffers must not grow past its slab");
            assertEquals(0, all.get(3).get().alignmentOffset(0, 64));
            all.forEach(Handle::close);
        }
    }

    @Test
    void shouldRefuseToMakeMoreBuffersThanTheSlabHolds() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BufferPool.create(3, 64, 64, config -> {
                    for (int i = 0; i <= config.capacity(); i++) {
                        assertNotNull(config.factory().get());
                    }
                    return FixedPool.create(config);
                }));
        assertTrue(e.getMessage().contains("buffer 4 but the slab holds 3"), e.getMessage());
    }

    @Test
    void shouldCarveCountTimesMaxThreadsBuffersForPerThreadKinds() {
        int[] made = new int[1];
        Pool<ByteBuffer> pool = BufferPool.builder(3, 64, 64).maxThreads(2).build(config -> {
            assertEquals(3, config.capacity());
            assertEquals(2, config.maxThreads());
            Set<Long> offsets = new HashSet<>();
            for (int i = 0; i < 6; i++) { // what a per-thread kind makes for two threads
                ByteBuffer b = config.factory().get();
                assertEquals(0, b.alignmentOffset(0, 64));
                offsets.add((long) b.alignmentOffset(0, (int) MODULUS));
                made[0]++;
            }
            assertEquals(6, offsets.size());
            assertThrows(IllegalStateException.class, () -> config.factory().get());
            return FixedPool.create(PoolConfig.<ByteBuffer>builder().capacity(1).factory(() -> ByteBuffer.allocate(1)).build());
        });
        assertEquals(6, made[0]);
        assertNotNull(pool);
        assertMessage("maxThreads: 0 (expected: > 0)", () -> BufferPool.builder(3, 64, 64).maxThreads(0));
        assertMessage("count: 600000 (expected: count x maxThreads 4 x stride 4096",
                () -> BufferPool.builder(600_000, 4096, 64).maxThreads(4).build());
    }

    @Test
    void shouldCatchDoubleReleaseInCheckedMode() {
        Pool<ByteBuffer> pool = BufferPool.builder(2, 64, 64).checked(true).name("rx").build();
        Handle<ByteBuffer> h = pool.allocate();
        h.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, h::close);
        assertTrue(e.getMessage().contains("rx"), e.getMessage());
        assertThrows(IllegalStateException.class, h::get);
    }

    @Test
    void shouldNameTheBadFieldInConfigErrors() {
        assertMessage("count: 0 (expected: > 0)", () -> BufferPool.create(0, 64, 64));
        assertMessage("count: -5 (expected: > 0)", () -> BufferPool.create(-5, 64, 64));
        assertMessage("bufferSize: 0 (expected: > 0)", () -> BufferPool.create(1, 0, 64));
        assertMessage("alignment: 4 (expected: a power of two from 8 to 1048576)", () -> BufferPool.create(1, 64, 4));
        assertMessage("alignment: 48 (expected: a power of two from 8 to 1048576)", () -> BufferPool.create(1, 64, 48));
        assertMessage("alignment: 2097152 (expected: a power of two from 8 to 1048576)", () -> BufferPool.create(1, 64, 1 << 21));
        assertMessage("count: 1048576 (expected: count x stride 4096 + alignment 64 - 1 <= 2147483647 bytes, so count <= 524287)",
                () -> BufferPool.create(1 << 20, 4096, 64));
        assertMessage("count: 2 (expected: count x stride 2147483648",
                () -> BufferPool.create(2, Integer.MAX_VALUE, 4096));
        assertMessage("byteOrder: null", () -> BufferPool.builder(1, 64, 64).byteOrder(null).build());
        assertMessage("kind: null", () -> BufferPool.builder(1, 64, 64).build(null));
    }

    private static void assertMessage(String prefix, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().startsWith(prefix), "message: " + e.getMessage() + " (expected to start with: " + prefix + ")");
    }

    @Test
    void shouldAllocateNothingInSteadyStateAllocateAndClose() {
        Pool<ByteBuffer> pool = BufferPool.builder(64, 256, 64).checked(false).build();
        Pool<ByteBuffer> zeroing = BufferPool.builder(64, 256, 64).checked(false).zeroOnRelease(true).build();
        assertEquals(0, minAllocatedBytes(pool), "BufferPool allocate + close");
        assertEquals(0, minAllocatedBytes(zeroing), "BufferPool allocate + close with zeroOnRelease");
    }

    static long minAllocatedBytes(Pool<ByteBuffer> pool) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < 200_000; i++) {
            sink += cycle(pool, i);
        }
        long min = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && min != 0; attempt++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                sink += cycle(pool, i);
            }
            long after = threads.getCurrentThreadAllocatedBytes();
            min = Math.min(min, after - before);
        }
        assertTrue(sink != 42); // keep the loop alive
        return min;
    }

    private static long cycle(Pool<ByteBuffer> pool, int i) {
        Handle<ByteBuffer> h = pool.allocate();
        ByteBuffer b = h.get();
        b.putLong(i).putLong(i * 3L);
        long v = b.getLong(0) + b.position();
        h.close();
        return v;
    }
}
