package io.fastalloc.bench;

import io.fastalloc.Handle;
import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;

import java.lang.reflect.Array;
import java.util.function.Supplier;

/**
 * Where a scenario gets its objects: plain {@code new} ({@code "newObject"}) or a fastalloc pool kind
 * (by {@link PoolKind} name). A scenario keeps its live objects in {@link #items} by index and runs
 * the same code over them whichever source made them; only {@link #acquire}, {@link #release} and
 * {@link #move} differ.
 *
 * <p><b>Thread safety</b>: none; one source per scenario instance, used by one thread.
 *
 * @param <T> the type of object
 */
public abstract class ObjectSource<T> {
    /** The contender name of plain {@code new}. */
    public static final String NEW = "newObject";

    /** The live objects by index; {@code null} where nothing is live. */
    public final T[] items;

    @SuppressWarnings("unchecked")
    ObjectSource(Class<T> type, int capacity) {
        this.items = (T[]) Array.newInstance(type, capacity);
    }

    /**
     * Puts an object into {@code items[i]}, which must be empty. Its fields hold whatever the last
     * user left (pooled) or zeros ({@code new}): the scenario sets every field it reads.
     *
     * @param i the index
     */
    public abstract void acquire(int i);

    /**
     * Gives back the object at {@code items[i]} and empties the index.
     *
     * @param i the index
     */
    public abstract void release(int i);

    /**
     * Moves the live object at {@code from} to the empty index {@code to} (a swap-remove's second half).
     *
     * @param from a live index
     * @param to   an empty index
     */
    public void move(int from, int to) {
        items[to] = items[from];
        items[from] = null;
    }

    /**
     * @param contender {@value #NEW} or a {@link PoolKind} name
     * @param type      the class of object (the type of {@link #items})
     * @param capacity  the most objects live at once
     * @param factory   makes an object
     * @param <T>       the type of object
     * @return the source
     * @throws IllegalArgumentException for an unknown contender
     */
    public static <T> ObjectSource<T> create(String contender, Class<T> type, int capacity, Supplier<T> factory) {
        if (NEW.equals(contender)) {
            return new NewSource<>(type, capacity, factory);
        }
        PoolKind kind = PoolKind.byName(contender);
        if (kind == null) {
            throw new IllegalArgumentException("contender: " + contender + " (expected: " + NEW
                    + " or a PoolKind name)");
        }
        PoolConfig<T> config = PoolConfig.<T>builder().name("scenario-" + contender).capacity(capacity)
                .factory(factory).checked(false).build();
        return new PooledSource<>(type, kind.create(config), capacity);
    }

    /** Plain {@code new}: acquire allocates, release drops the reference. */
    static final class NewSource<T> extends ObjectSource<T> {
        private final Supplier<T> factory;

        NewSource(Class<T> type, int capacity, Supplier<T> factory) {
            super(type, capacity);
            this.factory = factory;
        }

        @Override
        public void acquire(int i) {
            items[i] = factory.get();
        }

        @Override
        public void release(int i) {
            items[i] = null;
        }
    }

    /** A pool: acquire allocates a handle, release closes it; the handles are kept beside the objects. */
    static final class PooledSource<T> extends ObjectSource<T> {
        private final Pool<T> pool;
        private final Handle<T>[] handles;

        @SuppressWarnings("unchecked")
        PooledSource(Class<T> type, Pool<T> pool, int capacity) {
            super(type, capacity);
            this.pool = pool;
            this.handles = (Handle<T>[]) new Handle<?>[capacity];
        }

        @Override
        public void acquire(int i) {
            Handle<T> h = pool.allocate();
            handles[i] = h;
            items[i] = h.get();
        }

        @Override
        public void release(int i) {
            handles[i].close();
            handles[i] = null;
            items[i] = null;
        }

        @Override
        public void move(int from, int to) {
            super.move(from, to);
            handles[to] = handles[from];
            handles[from] = null;
        }
    }
}
