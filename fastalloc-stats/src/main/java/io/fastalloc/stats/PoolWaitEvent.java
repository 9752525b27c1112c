package io.fastalloc.stats;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * JFR event {@code io.fastalloc.PoolWait}: a bounded allocation waited for a free object. A duration
 * event: it begins when the thread starts waiting ({@link io.fastalloc.PoolRecorder#onWaitStart()})
 * and ends when the wait ends, however it ends (an object came, the time ran out, an interrupt, the
 * pool closed), so its start time and duration place the wait on the recording's timeline, on the
 * waiting thread, with that thread's stack.
 *
 * <p><b>Threshold</b>: JFR's own, {@code 1 ms} by default ({@link Threshold @Threshold}); a recording
 * changes it like any other event's ({@code io.fastalloc.PoolWait#threshold=0 ms} in a {@code .jfc}
 * file or {@code recording.enable(PoolWaitEvent.class).withThreshold(Duration.ZERO)}). The
 * registry's {@link StatsRegistry.Builder#waitEventThreshold(java.time.Duration)} is a floor applied
 * on top of it (none by default): a wait is committed when it reaches both.
 *
 * <p>Emitted by a {@link PoolStats} recorder while a recording enables the event; while none does,
 * a wait costs one check and allocates nothing. A wait that began before a recording enabled the
 * event is not recorded.
 */
@Name("io.fastalloc.PoolWait")
@Label("Pool Wait")
@Category({"fastalloc", "Pools"})
@Description("An allocation waited for a free object; the event's duration is the wait")
@Threshold("1 ms")
@StackTrace(true)
public final class PoolWaitEvent extends Event {
    @Label("Pool")
    String poolName;

    @Label("Kind")
    String kind;

    PoolWaitEvent() {
    }
}
