package io.fastalloc.stats;

/**
 * The counters kept for each pool, with the Agrona type id each one is registered under.
 *
 * <p>Every counter of a pool is registered with the same registration id (the pool's number in its
 * {@link StatsRegistry}) and labelled {@code "fastalloc <pool> <kind> <counter>"}, for example
 * {@code "fastalloc orders FixedPool allocations"}. Type ids:
 *
 * <pre>
 *   type id | counter        | kind of value
 *   --------+----------------+-----------------------------------------------------------
 *   40_001  | allocations    | total objects handed out
 *   40_002  | releases       | total objects given back
 *   40_003  | exhaustions    | allocations that found no free object
 *   40_004  | waits          | bounded waits that ended (concurrent pools)
 *   40_005  | wait-ns        | total nanoseconds spent in those waits
 *   40_006  | growths        | times the capacity grew
 *   40_007  | in-use         | objects out now (gauge)
 *   40_008  | peak-in-use    | most objects out at once (gauge, only rises)
 *   40_009  | capacity       | objects the pool holds now (gauge)
 *   40_010  | discards       | objects dropped because reset or validation failed
 * </pre>
 *
 * <p>The values are 64-bit and written by the pool's threads; any reader (the same process, or
 * {@link FastallocStat} through the mapped file) sees each one as of some recent moment. Two
 * counters read one after the other need not be from the same moment.
 */
public enum PoolCounter {
    /** Total objects handed out. */
    ALLOCATIONS(40_001, "allocations"),
    /** Total objects given back. */
    RELEASES(40_002, "releases"),
    /** Allocation attempts that found no free object (whether they then threw, returned null or waited). */
    EXHAUSTIONS(40_003, "exhaustions"),
    /** Bounded waits that ended. */
    WAITS(40_004, "waits"),
    /** Total nanoseconds spent in bounded waits. */
    WAIT_NANOS(40_005, "wait-ns"),
    /** Times the capacity grew. */
    GROWTHS(40_006, "growths"),
    /** Objects out now. */
    IN_USE(40_007, "in-use"),
    /** The most objects out at once. */
    PEAK_IN_USE(40_008, "peak-in-use"),
    /** Objects the pool holds now. */
    CAPACITY(40_009, "capacity"),
    /** Objects dropped because their reset or validation failed. */
    DISCARDS(40_010, "discards");

    /** The lowest type id fastalloc uses. */
    public static final int FIRST_TYPE_ID = 40_001;

    private static final PoolCounter[] VALUES = values();

    private final int typeId;
    private final String label;

    PoolCounter(int typeId, String label) {
        this.typeId = typeId;
        this.label = label;
    }

    /** {@return the Agrona type id this counter is registered under} */
    public int typeId() {
        return typeId;
    }

    /** {@return the last word of the counter's label, such as {@code "allocations"}} */
    public String label() {
        return label;
    }

    /**
     * Finds the counter registered under an Agrona type id.
     *
     * @param typeId an Agrona counter type id
     * @return the fastalloc counter with that type id, or {@code null} when it is not one of ours
     */
    public static PoolCounter ofTypeId(int typeId) {
        int i = typeId - FIRST_TYPE_ID;
        return i >= 0 && i < VALUES.length ? VALUES[i] : null;
    }
}
