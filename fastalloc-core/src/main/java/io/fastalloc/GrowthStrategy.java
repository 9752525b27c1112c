package io.fastalloc;

import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * How a growing pool computes its next capacity when it is exhausted. Whatever the strategy says,
 * the result is clamped to the pool's {@code maxCapacity}, and a pool that cannot grow by at least
 * one object reports exhaustion.
 */
public final class GrowthStrategy {
    private static final GrowthStrategy NONE = new GrowthStrategy("none()", c -> c);

    private final String description;
    private final IntUnaryOperator next;

    private GrowthStrategy(String description, IntUnaryOperator next) {
        this.description = description;
        this.next = next;
    }

    /** {@return a strategy that never grows} */
    public static GrowthStrategy none() {
        return NONE;
    }

    /**
     * A strategy that grows by a fixed number of objects.
     *
     * @param increment objects added by each growth, {@code > 0}
     * @return a strategy that adds {@code increment} objects each time
     * @throws IllegalArgumentException naming {@code increment} when it is not positive
     */
    public static GrowthStrategy linear(int increment) {
        if (increment <= 0) {
            throw new IllegalArgumentException("increment: " + increment + " (expected: > 0)");
        }
        return new GrowthStrategy("linear(" + increment + ")", c -> saturatedAdd(c, increment));
    }

    /**
     * A strategy that multiplies the capacity.
     *
     * @param factor multiplier of the capacity, {@code > 1}; the product is rounded up
     * @return a strategy that multiplies the capacity by {@code factor} each time
     * @throws IllegalArgumentException naming {@code growthFactor} when it is not above 1
     */
    public static GrowthStrategy exponential(double factor) {
        if (!(factor > 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("growthFactor: " + factor + " (expected: > 1 and finite)");
        }
        return new GrowthStrategy("exponential(" + factor + ")", c -> {
            double grown = Math.ceil(c * factor);
            return grown >= Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(c + 1, (int) grown);
        });
    }

    /**
     * A strategy given by a function of the current capacity.
     *
     * @param next maps the current capacity to the new one
     * @return a strategy defined by {@code next}; a result not above the current capacity means
     *         "do not grow"
     */
    public static GrowthStrategy custom(IntUnaryOperator next) {
        Objects.requireNonNull(next, "growthStrategy");
        return new GrowthStrategy("custom", next);
    }

    /**
     * Computes the capacity a pool grows to.
     *
     * @param current     the capacity now
     * @param maxCapacity the ceiling
     * @return the next capacity, in {@code [current, maxCapacity]}; equal to {@code current} when the
     *         pool may not grow
     */
    public int nextCapacity(int current, int maxCapacity) {
        if (current >= maxCapacity) {
            return current;
        }
        int proposed = next.applyAsInt(current);
        if (proposed <= current) {
            return current;
        }
        return Math.min(proposed, maxCapacity);
    }

    /** {@return {@code true} for {@link #none()}} */
    public boolean isNone() {
        return this == NONE;
    }

    private static int saturatedAdd(int a, int b) {
        long sum = (long) a + b;
        return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
    }

    @Override
    public String toString() {
        return description;
    }
}
