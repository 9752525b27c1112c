package io.fastalloc.stats;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.GrowingPool;
import io.fastalloc.GrowthStrategy;
import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.ThreadSafePool;
import io.fastalloc.lockfree.MpmcPool;
import jdk.jfr.EventType;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JfrEventsTest {
    @TempDir
    Path dir;

    @Test
    void shouldRecordExhaustionAndGrowthEvents() throws Exception {
        Path dump = dir.resolve("pool.jfr");
        try (StatsRegistry stats = StatsRegistry.inProcess();
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
            recorder.onWait(Duration.ofMillis(20).toNanos());  // an end with no start: no event
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
        assertEquals(0, waits.size(), events.toString());
    }

    /**
     * A wait is a duration event: it begins when the thread starts waiting and ends when the wait
     * does, so its duration is the wait; JFR's default threshold for it is 1 ms.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ThreadSafePool", "MpmcPool"})
    void shouldRecordAWaitAsADurationEventOnTheWaitingThread(String kind) throws Exception {
        Path dump = dir.resolve("wait.jfr");
        String waiter = Thread.currentThread().getName();
        try (StatsRegistry stats = StatsRegistry.inProcess();
             Recording recording = new Recording()) {
            recording.enable(PoolWaitEvent.class); // JFR's default threshold for it: 1 ms
            recording.start();
            PoolConfig<Object> config = PoolConfig.builder().name("jfr-wait").capacity(1).factory(Object::new)
                    .recorder(stats.concurrentRecorder()).build();
            Pool<Object> pool = kind.equals("MpmcPool") ? MpmcPool.create(config) : ThreadSafePool.create(config);
            Handle<Object> held = pool.allocate();
            assertThrows(PoolExhaustedException.class, () -> pool.allocate(20, TimeUnit.MILLISECONDS));
            held.close();
            recording.stop();
            recording.dump(dump);
        }
        List<RecordedEvent> waits = named(RecordingFile.readAllEvents(dump), "io.fastalloc.PoolWait");
        assertEquals(1, waits.size(), waits.toString());
        RecordedEvent e = waits.get(0);
        assertTrue(e.getDuration().compareTo(Duration.ofMillis(20)) >= 0, "duration " + e.getDuration());
        assertTrue(e.getEndTime().isAfter(e.getStartTime()), e.toString());
        assertEquals("jfr-wait", e.getString("poolName"));
        assertEquals(kind, e.getString("kind"));
        assertEquals(waiter, e.getThread().getJavaName());
        assertTrue(e.getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getName().equals("allocate")), "the waiting thread's stack");
        assertEquals("1 ms", EventType.getEventType(PoolWaitEvent.class).getSettingDescriptors().stream()
                .filter(d -> d.getName().equals("threshold")).findFirst().orElseThrow().getDefaultValue(),
                "JFR's default threshold for the event");
    }

    /** The recording's threshold rules; the registry's floor, when set, keeps shorter waits out too. */
    @Test
    void shouldApplyTheRecordingsThresholdAndTheRegistrysFloor() throws Exception {
        Path dump = dir.resolve("floor.jfr");
        try (StatsRegistry open = StatsRegistry.inProcess();
             StatsRegistry floored = StatsRegistry.builder().waitEventThreshold(Duration.ofSeconds(10)).build();
             Recording recording = new Recording()) {
            recording.enable(PoolWaitEvent.class).withThreshold(Duration.ZERO);
            recording.start();
            for (StatsRegistry stats : List.of(open, floored)) {
                ThreadSafePool<Object> pool = ThreadSafePool.create(PoolConfig.builder()
                        .name(stats == open ? "no-floor" : "floor").capacity(1).factory(Object::new)
                        .recorder(stats.recorder()).build());
                Handle<Object> held = pool.allocate();
                assertThrows(PoolExhaustedException.class, () -> pool.allocate(2, TimeUnit.MILLISECONDS));
                held.close();
            }
            recording.stop();
            recording.dump(dump);
        }
        List<RecordedEvent> waits = named(RecordingFile.readAllEvents(dump), "io.fastalloc.PoolWait");
        assertEquals(1, waits.size(), waits.toString());
        assertEquals("no-floor", waits.get(0).getString("poolName"));
        assertTrue(waits.get(0).getDuration().compareTo(Duration.ofMillis(2)) >= 0, waits.toString());
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }
}
