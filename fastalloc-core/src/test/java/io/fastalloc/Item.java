package io.fastalloc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A pooled test object: a serial number from its factory, a value to write, a count of resets. */
final class Item {
    final int serial;
    int value;
    int resets;

    Item(int serial) {
        this.serial = serial;
    }

    /** A factory for places that do not care about numbering. */
    static Item new0() {
        return new Item(-1);
    }

    void reset() {
        value = 0;
        resets++;
    }

    @Override
    public String toString() {
        return "Item#" + serial;
    }

    /** A factory numbering its items 0, 1, 2, ... and counting its calls. */
    static class Factory implements Supplier<Item> {
        final AtomicInteger made = new AtomicInteger();

        @Override
        public Item get() {
            return new Item(made.getAndIncrement());
        }

        int made() {
            return made.get();
        }
    }
}
