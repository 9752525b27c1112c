package io.fastalloc.stats;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * JFR event {@code io.fastalloc.PoolWait}: a bounded allocation waited at least the registry's
 * wait threshold ({@link StatsRegistry.Builder#waitEventThreshold(java.time.Duration)}) for a free
 * object. Emitted by a {@link PoolStats} recorder while a recording has the event enabled; records
 * the waiting thread's stack.
 */
@Name("io.fastalloc.PoolWait")
@Label("Pool Wait")
@Category({"fastalloc", "Pools"})
@Description("An allocation waited longer than the threshold for a free object")
public final class PoolWaitEvent extends Event {
    @Label("Pool")
    String poolName;

    @Label("Kind")
    String kind;

    @Label("Waited")
    @Timespan(Timespan.NANOSECONDS)
    long waited;

    PoolWaitEvent() {
    }
}
