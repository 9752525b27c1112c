package io.fastalloc.stats;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code io.fastalloc.PoolGrowth}: a pool's capacity grew. Emitted by a
 * {@link PoolStats} recorder while a recording has the event enabled; costs one check otherwise.
 */
@Name("io.fastalloc.PoolGrowth")
@Label("Pool Growth")
@Category({"fastalloc", "Pools"})
@Description("A pool's capacity grew")
@StackTrace(false)
public final class PoolGrowthEvent extends Event {
    @Label("Pool")
    String poolName;

    @Label("Kind")
    String kind;

    @Label("Old Capacity")
    long oldCapacity;

    @Label("New Capacity")
    long newCapacity;

    PoolGrowthEvent() {
    }
}
