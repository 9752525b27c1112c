package io.fastalloc;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One way to build a single-threaded pool for the contract tests: kind x strategy x initialisation
 * x checked. A growing variant starts at {@code capacity} and may grow (linearly, by
 * {@code capacity}) to twice that, so its {@link #limit(int)} is {@code 2 * capacity}.
 */
record PoolVariant(boolean growing, AllocationStrategy strategy, InitializationStrategy init, boolean checked) {

    static List<PoolVariant> all() {
        List<PoolVariant> all = new ArrayList<>();
        for (boolean growing : new boolean[] {false, true}) {
            for (AllocationStrategy s : AllocationStrategy.values()) {
                for (InitializationStrategy i : InitializationStrategy.values()) {
                    for (boolean checked : new boolean[] {false, true}) {
                        all.add(new PoolVariant(growing, s, i, checked));
                    }
                }
            }
        }
        return all;
    }

    /** @return the most objects the pool can hand out at once */
    int limit(int capacity) {
        return growing ? 2 * capacity : capacity;
    }

    PoolConfig.Builder<Item> builder(int capacity, Item.Factory factory) {
        PoolConfig.Builder<Item> b = PoolConfig.<Item>builder().name("orders").capacity(capacity).factory(factory)
                .reset(Item::reset).allocationStrategy(strategy).initialization(init).checked(checked);
        if (growing) {
            b.maxCapacity(2 * capacity).growthStrategy(GrowthStrategy.linear(capacity));
        }
        return b;
    }

    Pool<Item> create(int capacity, Item.Factory factory) {
        return create(capacity, factory, UnaryOperator.identity());
    }

    Pool<Item> create(int capacity, Item.Factory factory, UnaryOperator<PoolConfig.Builder<Item>> tweak) {
        PoolConfig<Item> config = tweak.apply(builder(capacity, factory)).build();
        return growing ? GrowingPool.create(config) : FixedPool.create(config);
    }

    String kind() {
        return growing ? "GrowingPool" : "FixedPool";
    }

    @Override
    public String toString() {
        return kind() + "/" + strategy + "/" + init + "/" + (checked ? "checked" : "unchecked");
    }
}
