package io.fastalloc.stats;


import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The default concurrent recorder: allocations and releases are counted in a fixed table of padded
 * cells, the cell chosen by the recording thread's id; a thread that owns its cell counts there with
 * a plain load and a release store (no atomic instruction, no shared cache line), and readers sum
 * the cells. The registry's publisher copies the sums to the Agrona counters every publish interval.
 * Rare events (exhaustion, wait, growth, discard, capacity) are atomic adds on their counters at once.
 *
 * <pre>
 *   recording thread t ──▶ cells[t.getId() &amp; (cells.length - 1)]
 *      cell.owner == t            ──▶ owned count: plain load + setRelease        (the common case)
 *      cell unowned, or its owner
 *      has terminated             ──▶ CAS owner to t, then as above                (once per thread)
 *      owned by another live thread ──▶ shared count: getAndAdd                  (id collision)
 *   reader ──▶ sum over cells of owned + shared (getAcquire), releases before allocations
 * </pre>
 *
 * <p>Why not a {@link ThreadLocal}: its lookup (the thread's map, a hash probe, a weak reference)
 * costs more than the count itself on a pool whose whole operation takes a few nanoseconds; the
 * thread id is a field of {@link Thread#currentThread()}. Thread ids are handed out in sequence,
 * so threads made one after another land in different cells; when more live threads than cells
 * record, or two ids collide, the later thread counts with atomic adds in the cell's shared count:
 * slower, still exact. A cell whose owner has terminated is taken over by the next thread that
 * records in it (checked when the cell is first met and then once every {@value #RECLAIM_PERIOD}
 * shared events, since asking whether a thread is alive costs a native call on JDK 17).
 *
 * <p>A pool that keeps counts of its own (a queue's indices, per-thread caches) may hand them over
 * with {@link #attachCounts}: the sums then add them, and the pool records here only the
 * operations they do not cover, so its common path counts nothing twice and pays nothing here.
 *
 * <p>In use is {@code sum(allocations) - sum(releases)}, read as {@link PoolStats#snapshotInto}
 * says (or the pool's own free set, when it offered one). The peak in use cannot be known at every
 * instant without a shared counter that every operation would contend on, so it is
 * <em>sampled</em>: each publication and each read raises it to the in use it read. A burst
 * shorter than the publish interval between two samples may be missed; use
 * {@link StatsRegistry.Builder#publishInterval publishInterval(Duration.ZERO)} for the exact peak
 * (atomic adds on shared counters instead of cells).
 *
 * <p>The cells are made with the recorder ({@link #cellCount()} of them: two per processor,
 * at least 8, at most 128, a power of two; about 300 bytes each), so recording never allocates. A cell keeps a
 * reference to the last thread that owned it until another thread takes it over.
 *
 * <p><b>Thread safety</b>: any number of recording and reading threads.
 *
 * <p><b>Memory effects</b>: a cell's owned counts have one writer at a time, its owner, which stores
 * with release after a plain read of its own value; the shared counts are atomic adds. A new owner
 * takes a cell only after seeing its previous owner terminated ({@link Thread#isAlive()} false, which
 * synchronizes-with that thread's last action) and with a CAS, so it continues from the previous
 * owner's last counts. Readers load every count with acquire, every cell's releases before any
 * cell's allocations. An object's allocation happens before its release (the handle travelled
 * between the threads with a happens-before edge), so the in use read is never negative.
 *
 * <p><b>Progress</b>: recording is wait-free (an id collision costs one atomic add; taking a cell
 * over is one CAS that is not retried); reading is wait-free and O(cells).
 */
final class StripedPoolStats extends PoolStats {
    /** How many shared-count events pass between two checks whether a cell's owner still lives. */
    static final int RECLAIM_PERIOD = 1024;
    static final int MIN_CELLS = 8;
    static final int MAX_CELLS = 128;

    private static final VarHandle OWNER;
    private static final VarHandle ALLOCATED;
    private static final VarHandle RELEASED;
    private static final VarHandle SHARED_ALLOCATED;
    private static final VarHandle SHARED_RELEASED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            OWNER = lookup.findVarHandle(CellFields.class, "owner", Thread.class);
            ALLOCATED = lookup.findVarHandle(CellFields.class, "allocated", long.class);
            RELEASED = lookup.findVarHandle(CellFields.class, "released", long.class);
            SHARED_ALLOCATED = lookup.findVarHandle(CellFields.class, "sharedAllocated", long.class);
            SHARED_RELEASED = lookup.findVarHandle(CellFields.class, "sharedReleased", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Padding before a cell's fields: no two cells share a cache line or an adjacent-line prefetch pair. */
    abstract static class CellPadBefore {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    /** One cell's counts. */
    abstract static class CellFields extends CellPadBefore {
        // Written by CAS (null or a terminated thread -> the claiming thread); read plainly by the
        // recording thread (only it ever writes itself here, and no one replaces a live owner, so a
        // plain read that returns the current thread is up to date) and with acquire by claimers.
        Thread owner;
        // Written by the owner only (setRelease after a plain read); read by readers (getAcquire).
        long allocated;
        // Same access as allocated.
        long released;
        // Written by non-owners (getAndAdd); read by readers (getAcquire).
        long sharedAllocated;
        // Same access as sharedAllocated.
        long sharedReleased;
    }

    /** One cell, padded after its fields too. */
    static final class Cell extends CellFields {
        long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    }

    /** Immutable after construction (a power of two of them); each element made here. */
    private final Cell[] cells;
    /**
     * The pool's own counts ({@link #attachCounts}), or {@code null}. Written once by the thread
     * that makes the pool, before the pool is published; read (volatile) by readers and the publisher.
     */
    private volatile Counts attached;
    // The publisher's scratch snapshot: used under the registry's lock only.
    private final PoolStatistics publishing = new PoolStatistics();

    StripedPoolStats(StatsRegistry registry, String fixedName, long waitEventThresholdNanos) {
        this(registry, fixedName, waitEventThresholdNanos, Runtime.getRuntime().availableProcessors() * 2);
    }

    StripedPoolStats(StatsRegistry registry, String fixedName, long waitEventThresholdNanos, int wantedCells) {
        super(registry, fixedName, waitEventThresholdNanos, true);
        int n = cellCountFor(wantedCells);
        Cell[] cs = new Cell[n];
        for (int i = 0; i < n; i++) {
            cs[i] = new Cell();
        }
        this.cells = cs;
    }

    /** @return the power of two, in [{@value #MIN_CELLS}, {@value #MAX_CELLS}], at or above {@code wanted} */
    static int cellCountFor(int wanted) {
        int n = MIN_CELLS;
        while (n < wanted && n < MAX_CELLS) {
            n <<= 1;
        }
        return n;
    }

    /** @return how many cells count allocations and releases */
    int cellCount() {
        return cells.length;
    }


    // Thread.getId(): threadId() is Java 19+, and this module is compiled for 17 (--release 17)
    @Override
    public void onAllocate() {
        Thread t = Thread.currentThread();
        Cell[] cs = cells;
        Cell c = cs[(int) t.getId() & (cs.length - 1)]; // a power of two: in bounds, no check needed
        if (c.owner == t) {
            ALLOCATED.setRelease(c, c.allocated + 1);
        } else {
            allocateElsewhere(c, t);
        }
    }

    @Override
    public void onRelease() {
        Thread t = Thread.currentThread();
        Cell[] cs = cells;
        Cell c = cs[(int) t.getId() & (cs.length - 1)]; // a power of two: in bounds, no check needed
        if (c.owner == t) {
            RELEASED.setRelease(c, c.released + 1);
        } else {
            releaseElsewhere(c, t);
        }
    }

    /** The cell is not the thread's: claim it if free, else count in its shared part. */
    private static void allocateElsewhere(Cell c, Thread t) {
        if (claim(c, t, (long) SHARED_ALLOCATED.getOpaque(c))) {
            ALLOCATED.setRelease(c, c.allocated + 1);
        } else {
            SHARED_ALLOCATED.getAndAdd(c, 1L);
        }
    }

    /** As {@link #allocateElsewhere}, for a release. */
    private static void releaseElsewhere(Cell c, Thread t) {
        if (claim(c, t, (long) SHARED_RELEASED.getOpaque(c))) {
            RELEASED.setRelease(c, c.released + 1);
        } else {
            SHARED_RELEASED.getAndAdd(c, 1L);
        }
    }

    /**
     * Makes {@code t} the cell's owner when the cell has none, or (checked on the first shared event
     * and every {@value #RECLAIM_PERIOD} after) when its owner has terminated.
     *
     * @param sharedSoFar the cell's shared count of this kind, to space out the liveness checks
     * @return whether {@code t} owns the cell now
     */
    private static boolean claim(Cell c, Thread t, long sharedSoFar) {
        Thread o = (Thread) OWNER.getAcquire(c);
        if (o == null) {
            return OWNER.compareAndSet(c, null, t);
        }
        // isAlive() false synchronizes-with o's last action: its plain counts are visible to t
        return (sharedSoFar & (RECLAIM_PERIOD - 1)) == 0 && !o.isAlive() && OWNER.compareAndSet(c, o, t);
    }

    /**
     * Accepts the pool's own counts once: from then on the sums add them, and the pool records in
     * the cells only what its counts do not cover.
     */
    @Override
    public boolean attachCounts(Counts counts) {
        if (counts == null || attached != null) {
            return false;
        }
        attached = counts;
        return true;
    }

    private long sumReleased() {
        Counts own = attached;
        long sum = own == null ? 0 : own.releases();
        for (Cell c : cells) {
            sum += (long) RELEASED.getAcquire(c) + (long) SHARED_RELEASED.getAcquire(c);
        }
        return sum;
    }

    private long sumAllocated() {
        Counts own = attached;
        long sum = own == null ? 0 : own.allocations();
        for (Cell c : cells) {
            sum += (long) ALLOCATED.getAcquire(c) + (long) SHARED_ALLOCATED.getAcquire(c);
        }
        return sum;
    }

    /** @return allocations and releases counted in the cells' shared parts (by threads not owning their cell) */
    long sharedEvents() {
        long sum = 0;
        for (Cell c : cells) {
            sum += (long) SHARED_ALLOCATED.getAcquire(c) + (long) SHARED_RELEASED.getAcquire(c);
        }
        return sum;
    }

    @Override
    long allocationsNow() {
        return sumAllocated();
    }

    @Override
    long releasesNow() {
        return sumReleased();
    }

    /** The pool's own free set, when it offered its counts and can tell. */
    @Override
    long inUseNow() {
        Counts own = attached;
        return own == null ? -1 : own.inUse();
    }

    /** The peak sampled by earlier reads and publications, and the pool's when it keeps one. */
    @Override
    long peakNow() {
        long sampled = peakInUse.getAcquire();
        Counts own = attached;
        return own == null ? sampled : Math.max(sampled, own.peakInUse());
    }

    /** Copies a consistent read of the heap counts into the counters ({@link #publishRead}). */
    @Override
    void publish() {
        publishRead(publishing);
    }
}
