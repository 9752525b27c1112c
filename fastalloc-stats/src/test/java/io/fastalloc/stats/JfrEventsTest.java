package io.fastalloc.stats;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.GrowingPool;
import io.fastalloc.GrowthStrategy;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JfrEventsTest {
    @TempDir
    Path dir;

    @Test
    void shouldRecordExhaustionGrowthAndLongWaitEvents() throws Exception {
        Path dump = dir.resolve("pool.jfr");
        try (StatsRegistry stats = StatsRegistry.builder().waitEventThreshold(Duration.ofMillis(5)).build();
             Recording recording = new Recording()) {
            recording.enable(PoolExhaustedEvent.class);
            recording.enable(PoolGrowthEvent.class);
            recording.enable(PoolWaitEvent.class);
            recording.start();

            PoolStats recorder = stats.recorder();
            GrowingPool<Object> pool = GrowingPool.create(PoolConfig.builder().name("jfr-pool")
                    .capacity(1).maxCapacity(2).growthStrategy(GrowthStrategy.linear(1))
                    .allocationStrategy(AllocationStrategy.BITMAP)
                    .factory(Object::new).recorder(recorder).build());
            List<Handle<Object>> held = new ArrayList<>();
            held.add(pool.allocate());
            held.add(pool.allocate());            // grows 1 -> 2
            pool.tryAllocate();                    // exhausted at the maximum
            recorder.onWait(Duration.ofMillis(1).toNanos());   // below the threshold: no event
            recorder.onWait(Duration.ofMillis(20).toNanos());  // above: one event
            held.forEach(Handle::close);

            recording.stop();
            recording.dump(dump);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(dump).stream()
                .filter(e -> e.getEventType().getName().startsWith("io.fastalloc."))
                .collect(Collectors.toList());
        List<RecordedEvent> growth = named(events, "io.fastalloc.PoolGrowth");
        List<RecordedEvent> exhausted = named(events, "io.fastalloc.PoolExhausted");
        List<RecordedEvent> waits = named(events, "io.fastalloc.PoolWait");
        assertEquals(1, growth.size(), events.toString());
        assertEquals("jfr-pool", growth.get(0).getString("poolName"));
        assertEquals("GrowingPool", growth.get(0).getString("kind"));
        assertEquals(1, growth.get(0).getLong("oldCapacity"));
        assertEquals(2, growth.get(0).getLong("newCapacity"));
        assertEquals(1, exhausted.size(), events.toString());
        assertEquals("jfr-pool", exhausted.get(0).getString("poolName"));
        assertEquals(2, exhausted.get(0).getLong("capacity"));
        assertEquals(1, waits.size(), events.toString());
        assertEquals(Duration.ofMillis(20), waits.get(0).getDuration("waited"));
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }
}
