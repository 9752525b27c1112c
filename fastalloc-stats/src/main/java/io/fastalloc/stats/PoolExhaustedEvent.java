package io.fastalloc.stats;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code io.fastalloc.PoolExhausted}: an allocation found no free object. Emitted by a
 * {@link PoolStats} recorder while a recording has the event enabled; costs one check otherwise.
 */
@Name("io.fastalloc.PoolExhausted")
@Label("Pool Exhausted")
@Category({"fastalloc", "Pools"})
@Description("An allocation found no free object in the pool")
@StackTrace(false)
public final class PoolExhaustedEvent extends Event {
    @Label("Pool")
    String poolName;

    @Label("Kind")
    String kind;

    @Label("Capacity")
    long capacity;

    PoolExhaustedEvent() {
    }
}
