package io.fastalloc.bench;

import io.fastalloc.Pool;
import io.fastalloc.PoolConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The fastalloc pool kinds the benchmarks know, by the name used in {@code @Param} lists: one for
 * each kind of the registry every checker takes its kinds from ({@link io.fastalloc.testkit.PoolKind}),
 * which also makes the pools. Immutable; safe to share between threads.
 *
 * <p>A kind's {@code @Param} name is its class's simple name with a lower-case first letter
 * ({@code fixedPool}, {@code threadSafePool}, {@code mpmcPool}, {@code cachingPool}, ...), and it is
 * {@linkplain #perThread() confined} when some thread role is single (a single-threaded kind, or one
 * of the SPSC family), so a benchmark gives each of its threads its own pool.
 *
 * <p><b>Adding a pool kind</b> is its entry in the registry plus its name in the {@code @Param} lists of
 * the benchmarks that should measure it ({@link PeersBenchmark}, {@link LatencyBenchmark}, the
 * scenarios). {@link MemoryOverhead} measures every kind.
 */
public final class PoolKind {
    private static final Map<io.fastalloc.testkit.PoolKind, PoolKind> BY_KIND =
            new EnumMap<>(io.fastalloc.testkit.PoolKind.class);
    private static final List<PoolKind> ALL;

    static {
        List<PoolKind> all = new ArrayList<>();
        for (io.fastalloc.testkit.PoolKind k : io.fastalloc.testkit.PoolKind.present()) {
            PoolKind kind = new PoolKind(k);
            BY_KIND.put(k, kind);
            all.add(kind);
        }
        ALL = Collections.unmodifiableList(all);
    }

    private final io.fastalloc.testkit.PoolKind kind;
    private final String paramName;

    private PoolKind(io.fastalloc.testkit.PoolKind kind) {
        this.kind = kind;
        String simpleName = kind.kindName();
        this.paramName = Character.toLowerCase(simpleName.charAt(0)) + simpleName.substring(1);
    }

    /** @return every kind on the class path, in the registry's order */
    public static List<PoolKind> all() {
        return ALL;
    }

    /**
     * @param kind a registry kind
     * @return the benchmarks' kind for it
     * @throws IllegalArgumentException when the kind's module is not on the class path
     */
    public static PoolKind of(io.fastalloc.testkit.PoolKind kind) {
        PoolKind k = BY_KIND.get(kind);
        if (k == null) {
            throw new IllegalArgumentException("kind: " + kind + " (expected: a kind on the class path)");
        }
        return k;
    }

    /**
     * @param name a {@code @Param} name
     * @return the kind of that name, or {@code null} when no pool kind has it (a floor or a peer)
     */
    public static PoolKind byName(String name) {
        for (PoolKind kind : ALL) {
            if (kind.paramName.equals(name)) {
                return kind;
            }
        }
        return null;
    }

    /** @return the registry's kind */
    public io.fastalloc.testkit.PoolKind kind() {
        return kind;
    }

    /**
     * @param config the pool's config
     * @param <T>    the type of pooled object
     * @return a new pool of this kind
     */
    public <T> Pool<T> create(PoolConfig<T> config) {
        return kind.create(config);
    }

    /** @return the name used in {@code @Param} lists and in the report */
    public String paramName() {
        return paramName;
    }

    /**
     * @return {@code true} when the kind may be used by one thread only (in some role), so that a
     *         benchmark with several threads gives each thread its own pool; {@code false} for kinds
     *         any thread may allocate from and close to
     */
    public boolean perThread() {
        return !kind.anyThread();
    }

    @Override
    public String toString() {
        return paramName;
    }
}
