package io.fastalloc;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// ---- the example in docs/buffers.md, verbatim from here to the end marker ----
import io.fastalloc.BufferPool;
import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.SizeClassedBufferPool;

import java.nio.ByteBuffer;

final class TickDecoder implements AutoCloseable {
    static final int TICK_BYTES = 64;

    // 1024 ticks of 64 bytes, each starting on its own cache line, all in one off-heap slab
    private final Pool<ByteBuffer> ticks = BufferPool.create(1024, TICK_BYTES, 64);

    // frames of any size up to 16 KiB in power-of-two classes; larger ones allocated (and counted)
    private final SizeClassedBufferPool frames = SizeClassedBufferPool.builder(64, 16 * 1024)
            .countPerClass(32)
            .oversizePolicy(SizeClassedBufferPool.OversizePolicy.ALLOCATE_UNPOOLED)
            .build();

    long onTick(long seq, long price, long qty) {
        try (Handle<ByteBuffer> handle = ticks.allocate()) {
            ByteBuffer tick = handle.get();              // position 0, limit 64, address % 64 == 0
            tick.putLong(seq).putLong(System.nanoTime()).putLong(price).putLong(qty);
            return tick.getLong(16) * tick.getLong(24);  // price x qty
        }                                                // cleared and back in the pool: no garbage
    }

    int onFrame(int length) {
        try (Handle<ByteBuffer> handle = frames.allocate(length)) { // the smallest class >= length
            ByteBuffer frame = handle.get();             // limit = length, capacity = the class size
            return frame.capacity();
        }
    }

    long oversizeFrames() {
        return frames.oversizeCount();
    }

    @Override
    public void close() {
        ticks.close();
        frames.close();
    }
}
// ---- end of the example ----

class BufferPoolExampleTest {

    @Test
    void shouldRunTheDocsExample() {
        try (TickDecoder decoder = new TickDecoder()) {
            for (int i = 0; i < 5000; i++) {
                assertEquals(300L, decoder.onTick(i, 100, 3));
            }
            assertEquals(64, decoder.onFrame(1));
            assertEquals(2048, decoder.onFrame(1500));
            assertEquals(16384, decoder.onFrame(16384));
            assertEquals(20000, decoder.onFrame(20000));
            assertEquals(1, decoder.oversizeFrames());
        }
    }

    @Test
    void shouldMatchTheCodeBlockInDocs() throws IOException {
        Path docs = Path.of("..", "docs", "buffers.md");
        Path self = Path.of("src", "test", "java", "io", "fastalloc", "BufferPoolExampleTest.java");
        String markdown = Files.readString(docs, StandardCharsets.UTF_8);
        String source = Files.readString(self, StandardCharsets.UTF_8);
        String begin = "// ---- the example in docs/buffers.md, verbatim from here to the end marker ----\n";
        String end = "// ---- end of the example ----\n";
        int from = source.indexOf(begin) + begin.length();
        String example = source.substring(from, source.indexOf(end, from));
        int block = markdown.indexOf("```java\n") + "```java\n".length();
        String documented = markdown.substring(block, markdown.indexOf("```\n", block));
        assertTrue(block > 8, "docs/buffers.md has no java block");
        assertEquals(example, documented, "docs/buffers.md's first java block differs from the tested example");
    }

    @Test
    void shouldMatchTheBufferPoolBlockInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(Path.of("src", "test", "java", "io", "fastalloc", "BufferPoolExampleTest.java"),
                StandardCharsets.UTF_8);
        String begin = "// ---- the example in docs/buffers.md, verbatim from here to the end marker ----\n";
        String end = "// ---- end of the example ----\n";
        int from = source.indexOf(begin) + begin.length();
        String example = source.substring(from, source.indexOf(end, from));
        int section = readme.indexOf("## Buffer pools");
        assertTrue(section > 0, "the README has a Buffer pools section");
        int block = readme.indexOf("```java\n", section) + "```java\n".length();
        String documented = readme.substring(block, readme.indexOf("```\n", block));
        assertEquals(example, documented, "the README's buffer-pool example differs from the tested example");
    }
}
