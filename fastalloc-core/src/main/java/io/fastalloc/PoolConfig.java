package io.fastalloc;

import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Everything a pool needs to know, built once with {@link #builder()} and immutable after.
 *
 * <pre>{@code
 * PoolConfig<Order> config = PoolConfig.<Order>builder()
 *     .capacity(100)
 *     .maxCapacity(1000)
 *     .growthStrategy(GrowthStrategy.exponential(2.0))
 *     .factory(Order::new)
 *     .reset(Order::clear)
 *     .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} checks every field and throws {@link IllegalArgumentException} naming
 * the first bad one and its expected range.
 *
 * @param <T> the type of pooled object
 */
public final class PoolConfig<T> {
    /** The default alignment: no padding. */
    public static final int DEFAULT_ALIGNMENT = 8;
    /** The largest alignment a pool accepts. */
    public static final int MAX_ALIGNMENT = 1 << 20;

    private final String name;
    private final int capacity;
    private final int maxCapacity;
    private final GrowthStrategy growthStrategy;
    private final int alignment;
    private final Supplier<? extends T> factory;
    private final Consumer<? super T> reset;
    private final Predicate<? super T> validator;
    private final AllocationStrategy allocationStrategy;
    private final InitializationStrategy initialization;
    private final boolean checked;
    private final int maxThreads;
    private final WaitStrategy waitStrategy;
    private final PoolRecorder recorder;
    private final LeakListener leakListener;

    private PoolConfig(Builder<T> b) {
        this.name = b.name;
        this.capacity = b.capacity;
        this.maxCapacity = b.maxCapacity;
        this.growthStrategy = b.growthStrategy;
        this.alignment = b.alignment;
        this.factory = b.factory;
        this.reset = b.reset;
        this.validator = b.validator;
        this.allocationStrategy = b.allocationStrategy;
        this.initialization = b.initialization;
        this.checked = b.checked;
        this.maxThreads = b.maxThreads;
        this.waitStrategy = b.waitStrategy;
        this.recorder = b.recorder;
        this.leakListener = b.leakListener;
    }

    /**
     * Starts a config.
     *
     * @param <T> the type of pooled object
     * @return a new builder
     */
    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * The short form every pool kind's {@code create(int, Supplier)} uses.
     *
     * @param capacity initial objects
     * @param factory  makes an object
     * @param <T>      the type of pooled object
     * @return a config with defaults for everything else
     */
    public static <T> PoolConfig<T> of(int capacity, Supplier<? extends T> factory) {
        return PoolConfig.<T>builder().capacity(capacity).factory(factory).build();
    }

    /** {@return a builder holding this config's values, to derive a variant} */
    public Builder<T> toBuilder() {
        Builder<T> b = new Builder<>();
        b.name = name;
        b.capacity = capacity;
        b.capacitySet = true;
        b.maxCapacity = maxCapacity;
        b.maxCapacitySet = true;
        b.growthStrategy = growthStrategy;
        b.alignment = alignment;
        b.factory = factory;
        b.reset = reset;
        b.validator = validator;
        b.allocationStrategy = allocationStrategy;
        b.initialization = initialization;
        b.checked = checked;
        b.maxThreads = maxThreads;
        b.waitStrategy = waitStrategy;
        b.recorder = recorder;
        b.leakListener = leakListener;
        return b;
    }

    /**
     * Returns the pool's name, used in messages and statistics.
     *
     * @return the pool's name, used in messages and statistics; {@code null} lets the pool name itself
     */
    public String name() {
        return name;
    }

    /**
     * Returns the number of objects a pool starts with.
     *
     * @return initial objects, {@code > 0}
     */
    public int capacity() {
        return capacity;
    }

    /** {@return the most objects a growing pool may hold, {@code >= capacity}} */
    public int maxCapacity() {
        return maxCapacity;
    }

    /** {@return how a growing pool grows} */
    public GrowthStrategy growthStrategy() {
        return growthStrategy;
    }

    /**
     * Returns the alignment: bytes between per-slot states that different threads write.
     *
     * @return bytes between per-slot states that different threads write; a power of two
     */
    public int alignment() {
        return alignment;
    }

    /**
     * Returns the factory that makes an object.
     *
     * @return makes an object
     */
    public Supplier<? extends T> factory() {
        return factory;
    }

    /**
     * Returns the reset function, which runs on each object as it is released.
     *
     * @return runs on each object as it is released; {@code null} for none
     */
    public Consumer<? super T> reset() {
        return reset;
    }

    /**
     * Returns the validator, which decides on release whether an object may be reused.
     *
     * @return decides on release whether an object may be reused; {@code null} for always
     */
    public Predicate<? super T> validator() {
        return validator;
    }

    /** {@return which free object goes out next} */
    public AllocationStrategy allocationStrategy() {
        return allocationStrategy;
    }

    /** {@return when objects are made} */
    public InitializationStrategy initialization() {
        return initialization;
    }

    /** {@return whether handles are checked leases (see {@link Handle})} */
    public boolean checked() {
        return checked;
    }

    /** {@return {@code ThreadLocalPool}'s cap on the number of per-thread pools} */
    public int maxThreads() {
        return maxThreads;
    }

    /** {@return how lock-free pools wait in a bounded allocate} */
    public WaitStrategy waitStrategy() {
        return waitStrategy;
    }

    /** {@return where the pool reports its events} */
    public PoolRecorder recorder() {
        return recorder;
    }

    /** {@return where checked mode reports leaked leases} */
    public LeakListener leakListener() {
        return leakListener;
    }

    @Override
    public String toString() {
        return "PoolConfig{name=" + name + ", capacity=" + capacity + ", maxCapacity=" + maxCapacity
                + ", growthStrategy=" + growthStrategy + ", alignment=" + alignment
                + ", allocationStrategy=" + allocationStrategy + ", initialization=" + initialization
                + ", checked=" + checked + '}';
    }

    /**
     * Builds a {@link PoolConfig}. Not thread-safe; {@link #build()} validates every field.
     *
     * @param <T> the type of pooled object
     */
    public static final class Builder<T> {
        private String name;
        private int capacity = -1;
        private boolean capacitySet;
        private int maxCapacity;
        private boolean maxCapacitySet;
        private GrowthStrategy growthStrategy;
        private int alignment = DEFAULT_ALIGNMENT;
        private Supplier<? extends T> factory;
        private Consumer<? super T> reset;
        private Predicate<? super T> validator;
        private AllocationStrategy allocationStrategy = AllocationStrategy.STACK;
        private InitializationStrategy initialization = InitializationStrategy.EAGER;
        private boolean checked = assertionsEnabled();
        private int maxThreads = Integer.MAX_VALUE;
        private WaitStrategy waitStrategy = WaitStrategy.parkingBackOff();
        private PoolRecorder recorder = PoolRecorder.noop();
        private LeakListener leakListener = LeakListener.logging();

        private Builder() {
        }

        /**
         * Sets {@code name}.
         *
         * @param name the pool's name in messages and statistics
         * @return this builder
         */
        public Builder<T> name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets {@code capacity}.
         *
         * @param capacity initial objects, {@code > 0}
         * @return this builder
         */
        public Builder<T> capacity(int capacity) {
            this.capacity = capacity;
            this.capacitySet = true;
            return this;
        }

        /**
         * Sets {@code maxCapacity}.
         *
         * @param maxCapacity the most objects a growing pool may hold, {@code >= capacity};
         *                    defaults to {@code capacity}
         * @return this builder
         */
        public Builder<T> maxCapacity(int maxCapacity) {
            this.maxCapacity = maxCapacity;
            this.maxCapacitySet = true;
            return this;
        }

        /**
         * Sets {@code growthStrategy}.
         *
         * @param growthStrategy how a growing pool grows; defaults to {@code exponential(2.0)} when
         *                       {@code maxCapacity > capacity}, else {@code none()}
         * @return this builder
         */
        public Builder<T> growthStrategy(GrowthStrategy growthStrategy) {
            this.growthStrategy = growthStrategy;
            return this;
        }

        /**
         * Sets {@code alignment}.
         *
         * @param alignment a power of two from 1 to {@value PoolConfig#MAX_ALIGNMENT}; default
         *                  {@value PoolConfig#DEFAULT_ALIGNMENT} (no padding)
         * @return this builder
         */
        public Builder<T> alignment(int alignment) {
            this.alignment = alignment;
            return this;
        }

        /**
         * Sets {@code factory}.
         *
         * @param factory makes an object; required
         * @return this builder
         */
        public Builder<T> factory(Supplier<? extends T> factory) {
            this.factory = factory;
            return this;
        }

        /**
         * Sets {@code reset}.
         *
         * @param reset runs on each object as it is released; optional
         * @return this builder
         */
        public Builder<T> reset(Consumer<? super T> reset) {
            this.reset = reset;
            return this;
        }

        /**
         * Sets {@code validator}.
         *
         * @param validator run on release after reset: an object it rejects is discarded and its
         *                  slot refilled from the factory on next use; optional
         * @return this builder
         */
        public Builder<T> validator(Predicate<? super T> validator) {
            this.validator = validator;
            return this;
        }

        /**
         * Sets {@code allocationStrategy}.
         *
         * @param allocationStrategy which free object goes out next; default {@code STACK}
         * @return this builder
         */
        public Builder<T> allocationStrategy(AllocationStrategy allocationStrategy) {
            this.allocationStrategy = allocationStrategy;
            return this;
        }

        /**
         * Sets {@code initialization}.
         *
         * @param initialization when objects are made; default {@code EAGER}
         * @return this builder
         */
        public Builder<T> initialization(InitializationStrategy initialization) {
            this.initialization = initialization;
            return this;
        }

        /**
         * Sets {@code checked}.
         *
         * @param checked checked leases and thread checks; default: on iff JVM assertions are on
         * @return this builder
         */
        public Builder<T> checked(boolean checked) {
            this.checked = checked;
            return this;
        }

        /**
         * Sets {@code maxThreads}.
         *
         * @param maxThreads for {@code ThreadLocalPool}: the most per-thread pools alive at once,
         *                   {@code > 0}; default unbounded
         * @return this builder
         */
        public Builder<T> maxThreads(int maxThreads) {
            this.maxThreads = maxThreads;
            return this;
        }

        /**
         * Sets {@code waitStrategy}.
         *
         * @param waitStrategy how lock-free pools wait in a bounded allocate; default
         *                     {@link WaitStrategy#parkingBackOff()}
         * @return this builder
         */
        public Builder<T> waitStrategy(WaitStrategy waitStrategy) {
            this.waitStrategy = waitStrategy;
            return this;
        }

        /**
         * Sets {@code recorder}.
         *
         * @param recorder receives the pool's events; default {@link PoolRecorder#noop()}
         * @return this builder
         */
        public Builder<T> recorder(PoolRecorder recorder) {
            this.recorder = recorder;
            return this;
        }

        /**
         * Sets {@code leakListener}.
         *
         * @param leakListener where checked mode reports a lease that became unreachable without
         *                     being closed; default {@link LeakListener#logging()}
         * @return this builder
         */
        public Builder<T> leakListener(LeakListener leakListener) {
            this.leakListener = leakListener;
            return this;
        }

        /**
         * Returns the config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the first invalid field and its expected range
         */
        public PoolConfig<T> build() {
            if (!capacitySet) {
                throw new IllegalArgumentException("capacity: not set (expected: > 0)");
            }
            if (capacity <= 0) {
                throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
            }
            if (!maxCapacitySet) {
                maxCapacity = capacity;
            }
            if (maxCapacity < capacity) {
                throw new IllegalArgumentException(
                        "maxCapacity: " + maxCapacity + " (expected: >= capacity " + capacity + ")");
            }
            if (alignment <= 0 || alignment > MAX_ALIGNMENT || Integer.bitCount(alignment) != 1) {
                throw new IllegalArgumentException("alignment: " + alignment
                        + " (expected: a power of two from 1 to " + MAX_ALIGNMENT + ")");
            }
            if (factory == null) {
                throw new IllegalArgumentException("factory: null (expected: a Supplier)");
            }
            if (allocationStrategy == null) {
                throw new IllegalArgumentException("allocationStrategy: null (expected: STACK, FREE_LIST or BITMAP)");
            }
            if (initialization == null) {
                throw new IllegalArgumentException("initialization: null (expected: EAGER or LAZY)");
            }
            if (maxThreads <= 0) {
                throw new IllegalArgumentException("maxThreads: " + maxThreads + " (expected: > 0)");
            }
            if (waitStrategy == null) {
                throw new IllegalArgumentException("waitStrategy: null (expected: a WaitStrategy)");
            }
            if (recorder == null) {
                throw new IllegalArgumentException("recorder: null (expected: a PoolRecorder, or PoolRecorder.noop())");
            }
            if (leakListener == null) {
                throw new IllegalArgumentException("leakListener: null (expected: a LeakListener)");
            }
            if (growthStrategy == null) {
                growthStrategy = maxCapacity > capacity ? GrowthStrategy.exponential(2.0) : GrowthStrategy.none();
            }
            return new PoolConfig<>(this);
        }

        @SuppressWarnings("AssertWithSideEffects")
        private static boolean assertionsEnabled() {
            boolean enabled = false;
            assert enabled = true;
            return enabled;
        }
    }
}
