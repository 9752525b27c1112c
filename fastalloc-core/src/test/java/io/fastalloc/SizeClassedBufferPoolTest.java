package io.fastalloc;

import io.fastalloc.SizeClassedBufferPool.OversizePolicy;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeClassedBufferPoolTest {
    private static final int MIN = 64;
    private static final int MAX = 4096;

    private static SizeClassedBufferPool pool(OversizePolicy policy) {
        return SizeClassedBufferPool.builder(MIN, MAX).countPerClass(4).oversizePolicy(policy).name("frames").build();
    }

    @Test
    void shouldPickTheSmallestClassThatFitsAtEveryBoundary() {
        SizeClassedBufferPool pool = pool(OversizePolicy.REJECT);
        assertEquals(7, pool.classCount()); // 64 128 256 512 1024 2048 4096
        int[][] expected = {
            {0, 64}, {1, 64}, {MIN - 1, 64}, {MIN, 64}, {MIN + 1, 128},
            {127, 128}, {128, 128}, {129, 256},
            {256, 256}, {257, 512}, {512, 512}, {513, 1024}, {1024, 1024}, {1025, 2048},
            {2048, 2048}, {2049, 4096}, {MAX - 1, 4096}, {MAX, 4096},
        };
        for (int[] e : expected) {
            int bytes = e[0];
            int classSize = e[1];
            assertEquals(classSize, pool.classSize(pool.classIndex(bytes)), "class of " + bytes + " bytes");
            try (Handle<ByteBuffer> h = pool.allocate(bytes)) {
                ByteBuffer b = h.get();
                assertEquals(classSize, b.capacity(), "capacity for " + bytes + " bytes");
                assertEquals(bytes, b.limit(), "limit is the requested size");
                assertEquals(0, b.position());
                assertEquals(0, b.alignmentOffset(0, 64));
            }
            try (Handle<ByteBuffer> h = pool.tryAllocate(bytes)) {
                assertEquals(classSize, h.get().capacity());
                assertEquals(bytes, h.get().limit());
            }
        }
        assertEquals(-1, pool.classIndex(MAX + 1));
        assertEquals(-1, pool.classIndex(Integer.MAX_VALUE));
        assertEquals(0, pool.oversizeCount());
    }

    @Test
    void shouldRejectAndCountOversizeRequestsUnderReject() {
        SizeClassedBufferPool pool = pool(OversizePolicy.REJECT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.allocate(MAX + 1));
        assertEquals("bytes: 4097 (expected: <= maxBytes 4096, the largest size class of frames; oversize policy REJECT)",
                e.getMessage());
        assertEquals(1, pool.oversizeCount());
        assertThrows(IllegalArgumentException.class, () -> pool.tryAllocate(Integer.MAX_VALUE));
        assertEquals(2, pool.oversizeCount());
        for (int i = 0; i < pool.classCount(); i++) {
            assertEquals(0, pool.pool(i).inUse());
        }
    }

    @Test
    void shouldHandOutAnAlignedUnpooledBufferOfTheRequestedSizeUnderAllocateUnpooled() {
        SizeClassedBufferPool pool = pool(OversizePolicy.ALLOCATE_UNPOOLED);
        Handle<ByteBuffer> h = pool.allocate(MAX + 1);
        ByteBuffer b = h.get();
        assertTrue(b.isDirect());
        assertEquals(MAX + 1, b.capacity());
        assertEquals(MAX + 1, b.limit());
        assertEquals(0, b.alignmentOffset(0, 64));
        b.put(MAX, (byte) 1);
        assertEquals(1, pool.oversizeCount());
        h.close();
        assertThrows(IllegalStateException.class, h::get);
        assertThrows(IllegalStateException.class, h::close);

        Handle<ByteBuffer> t = pool.tryAllocate(100_000);
        assertNotNull(t);
        assertEquals(100_000, t.get().capacity());
        t.close();
        assertEquals(2, pool.oversizeCount());
        for (int i = 0; i < pool.classCount(); i++) {
            assertEquals(4, pool.pool(i).available(), "an oversize request took nothing from class " + i);
        }
    }

    @Test
    void shouldNotBorrowFromALargerClassWhenAClassIsExhausted() {
        SizeClassedBufferPool pool = SizeClassedBufferPool.builder(64, 256).counts(1, 2, 3).build();
        assertEquals(1, pool.pool(0).capacity());
        assertEquals(2, pool.pool(1).capacity());
        assertEquals(3, pool.pool(2).capacity());
        Handle<ByteBuffer> only = pool.allocate(10);
        assertNull(pool.tryAllocate(64));
        assertThrows(PoolExhaustedException.class, () -> pool.allocate(1));
        assertEquals(3, pool.pool(2).available());
        try (Handle<ByteBuffer> h = pool.allocate(65)) {
            assertEquals(128, h.get().capacity());
        }
        only.close();
        assertNotNull(pool.tryAllocate(64));
    }

    @Test
    void shouldResetLimitToTheClassSizeOnRelease() {
        SizeClassedBufferPool pool = SizeClassedBufferPool.builder(64, 128).countPerClass(1).zeroOnRelease(true).build();
        Handle<ByteBuffer> h = pool.allocate(70);
        ByteBuffer b = h.get();
        b.putLong(7L);
        h.close();
        assertEquals(0, b.position());
        assertEquals(128, b.limit());
        assertEquals(0L, b.getLong(0));
        try (Handle<ByteBuffer> again = pool.allocate(100)) {
            assertEquals(100, again.get().limit());
        }
    }

    @Test
    void shouldAlignAndSeparateEveryBufferOfEveryClass() {
        SizeClassedBufferPool pool = SizeClassedBufferPool.builder(8, 1024).countPerClass(5).alignment(128).build();
        List<Handle<ByteBuffer>> all = new ArrayList<>();
        for (int i = 0; i < pool.classCount(); i++) {
            for (int k = 0; k < 5; k++) {
                Handle<ByteBuffer> h = pool.allocate(pool.classSize(i));
                assertEquals(0, h.get().alignmentOffset(0, 128));
                all.add(h);
            }
        }
        for (int n = 0; n < all.size(); n++) {
            ByteBuffer b = all.get(n).get();
            for (int j = 0; j < b.capacity(); j++) {
                b.put(j, (byte) (n + j));
            }
        }
        for (int n = 0; n < all.size(); n++) {
            ByteBuffer b = all.get(n).get();
            for (int j = 0; j < b.capacity(); j++) {
                assertEquals((byte) (n + j), b.get(j), "buffer " + n + " byte " + j);
            }
        }
        all.forEach(Handle::close);
    }

    @Test
    void shouldRefuseAllocationsOnceClosed() {
        SizeClassedBufferPool pool = pool(OversizePolicy.ALLOCATE_UNPOOLED);
        Handle<ByteBuffer> held = pool.allocate(100);
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.allocate(100));
        assertThrows(IllegalStateException.class, () -> pool.allocate(MAX * 2));
        held.close();
        pool.close();
    }

    @Test
    void shouldRejectNegativeSizes() {
        SizeClassedBufferPool pool = pool(OversizePolicy.REJECT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.allocate(-1));
        assertEquals("bytes: -1 (expected: >= 0)", e.getMessage());
        assertEquals(0, pool.oversizeCount());
    }

    @Test
    void shouldUseTheCallersPoolKind() {
        SizeClassedBufferPool pool = SizeClassedBufferPool.builder(64, 128).countPerClass(2).build(GrowingPool::create);
        assertTrue(pool.pool(0) instanceof GrowingPool);
        assertTrue(pool.pool(1) instanceof GrowingPool);
        assertNotNull(pool.tryAllocate(64));
        assertNotNull(pool.tryAllocate(64));
        assertNull(pool.tryAllocate(64), "a growing kind must not grow past the slab");
    }

    @Test
    void shouldNameTheBadFieldInConfigErrors() {
        assertMessage("minBytes: 0 (expected: a power of two >= 1)", () -> SizeClassedBufferPool.builder(0, 64).countPerClass(1).build());
        assertMessage("minBytes: 48 ", () -> SizeClassedBufferPool.builder(48, 64).countPerClass(1).build());
        assertMessage("maxBytes: 32 (expected: a power of two from minBytes 64 to 1073741824)",
                () -> SizeClassedBufferPool.builder(64, 32).countPerClass(1).build());
        assertMessage("maxBytes: 100 ", () -> SizeClassedBufferPool.builder(64, 100).countPerClass(1).build());
        assertMessage("maxBytes: -2147483648 ", () -> SizeClassedBufferPool.builder(64, Integer.MIN_VALUE).countPerClass(1).build());
        assertMessage("countPerClass: not set", () -> SizeClassedBufferPool.builder(64, 128).build());
        assertMessage("countPerClass: 0 (expected: > 0", () -> SizeClassedBufferPool.builder(64, 128).countPerClass(0).build());
        assertMessage("counts: 1 values (expected: 2, one per size class from 64 to 128)",
                () -> SizeClassedBufferPool.builder(64, 128).counts(5).build());
        assertMessage("counts[1]: 0 (expected: > 0)", () -> SizeClassedBufferPool.builder(64, 128).counts(5, 0).build());
        assertMessage("alignment: 4 ", () -> SizeClassedBufferPool.builder(64, 128).countPerClass(1).alignment(4).build());
        assertMessage("oversizePolicy: null", () -> SizeClassedBufferPool.builder(64, 128).countPerClass(1).oversizePolicy(null).build());
        assertMessage("counts[1]: 3 (expected: the 1073741824-byte class's slab",
                () -> SizeClassedBufferPool.builder(1 << 29, 1 << 30).counts(1, 3).build());
    }

    private static void assertMessage(String prefix, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().startsWith(prefix), "message: " + e.getMessage() + " (expected to start with: " + prefix + ")");
        assertFalse(e.getMessage().isEmpty());
    }

    @Test
    void shouldAllocateNothingInSteadyStateForPooledSizes() {
        SizeClassedBufferPool pool = SizeClassedBufferPool.builder(64, 4096).countPerClass(8).checked(false).build();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
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
            min = Math.min(min, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertTrue(sink != 42);
        assertEquals(0, min);
    }

    private static long cycle(SizeClassedBufferPool pool, int i) {
        Handle<ByteBuffer> h = pool.allocate(4 + (i & 4091));
        long v = h.get().putInt(0, i).limit();
        h.close();
        return v;
    }
}
