package io.fastalloc;

import io.fastalloc.testkit.PoolKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One way to build a single-threaded pool for the contract tests: kind x strategy x initialisation
 * x checked. The kinds are the registry's confined ones ({@link PoolKind#FIXED},
 * {@link PoolKind#GROWING}: those no other thread may use). A growing variant starts at
 * {@code capacity} and may grow (linearly, by {@code capacity}) to twice that, so its
 * {@link #limit(int)} is {@code 2 * capacity}.
 *
 * @param poolKind the registry's kind, which makes the pool
 * @param strategy the allocation strategy
 * @param init     the initialisation strategy
 * @param checked  whether checked mode is on
 */
record PoolVariant(PoolKind poolKind, AllocationStrategy strategy, InitializationStrategy init, boolean checked) {

    /** @return the confined kinds of the registry, each in every strategy, initialisation and mode */
    static List<PoolVariant> all() {
        List<PoolVariant> all = new ArrayList<>();
        for (PoolKind kind : confinedKinds()) {
            for (AllocationStrategy s : AllocationStrategy.values()) {
                for (InitializationStrategy i : InitializationStrategy.values()) {
                    for (boolean checked : new boolean[] {false, true}) {
                        all.add(new PoolVariant(kind, s, i, checked));
                    }
                }
            }
        }
        return all;
    }

    /** @return the registry's kinds that only one thread may use (core's own, so always present) */
    static List<PoolKind> confinedKinds() {
        List<PoolKind> kinds = new ArrayList<>();
        for (PoolKind k : PoolKind.present()) {
            if (!k.threadSafe) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    /** @return whether the pool grows (from {@code capacity} to {@code 2 * capacity}) */
    boolean growing() {
        return poolKind == PoolKind.GROWING;
    }

    /** @return the most objects the pool can hand out at once */
    int limit(int capacity) {
        return growing() ? 2 * capacity : capacity;
    }

    PoolConfig.Builder<Item> builder(int capacity, Item.Factory factory) {
        PoolConfig.Builder<Item> b = PoolConfig.<Item>builder().name("orders").capacity(capacity).factory(factory)
                .reset(Item::reset).allocationStrategy(strategy).initialization(init).checked(checked);
        if (growing()) {
            b.maxCapacity(2 * capacity).growthStrategy(GrowthStrategy.linear(capacity));
        }
        return b;
    }

    Pool<Item> create(int capacity, Item.Factory factory) {
        return create(capacity, factory, UnaryOperator.identity());
    }

    Pool<Item> create(int capacity, Item.Factory factory, UnaryOperator<PoolConfig.Builder<Item>> tweak) {
        return poolKind.create(tweak.apply(builder(capacity, factory)).build());
    }

    /** @return the kind's name, as the pools' messages give it */
    String kind() {
        return poolKind.kindName();
    }

    @Override
    public String toString() {
        return kind() + "/" + strategy + "/" + init + "/" + (checked ? "checked" : "unchecked");
    }
}
