package io.fastalloc.lockfree;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A pooled test object: an id and an ownership flag that a holder sets while it holds it. */
final class Item {
    final int id;
    /** Set by a holder on allocation, cleared before close: a second holder sees it set. */
    final AtomicBoolean owned = new AtomicBoolean();
    /** Written by a holder; checked by the next holder for visibility. */
    int value;
    int resets;

    Item(int id) {
        this.id = id;
    }

    /** Makes items with ids 0, 1, 2, ... */
    static final class Factory implements java.util.function.Supplier<Item> {
        final AtomicInteger made = new AtomicInteger();

        @Override
        public Item get() {
            return new Item(made.getAndIncrement());
        }
    }
}
