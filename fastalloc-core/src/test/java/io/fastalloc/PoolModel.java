package io.fastalloc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * A reference single-threaded pool built from java.util collections: which slot index goes out
 * next for each strategy, and which object (by factory serial) each slot holds. Growth and trimming
 * follow the documented rules: growth happens only when no slot is free, adds indices above the
 * current ones (lowest first among them; for STACK, below the objects already free), and trimming
 * removes the free top down to the initial capacity, stopping at the highest held slot.
 */
final class PoolModel {
    private final AllocationStrategy strategy;
    private final boolean eager;
    private final int initialCapacity;
    private final int maxCapacity;
    private final GrowthStrategy growth;
    /** STACK: head is the top; FREE_LIST: head is the oldest. */
    private final Deque<Integer> queue = new ArrayDeque<>();
    private final TreeSet<Integer> lowest = new TreeSet<>();
    /** Serial of each slot's object, {@code null} when not made yet. */
    private final List<Integer> objects = new ArrayList<>();
    private int capacity;
    private int inUse;
    private int nextSerial;

    PoolModel(AllocationStrategy strategy, boolean eager, int capacity, int maxCapacity, GrowthStrategy growth) {
        this.strategy = strategy;
        this.eager = eager;
        this.initialCapacity = capacity;
        this.maxCapacity = maxCapacity;
        this.growth = growth;
        addRange(0, capacity);
    }

    private void addRange(int from, int to) {
        for (int i = from; i < to; i++) {
            objects.add(eager ? nextSerial++ : null);
            if (strategy == AllocationStrategy.BITMAP) {
                lowest.add(i);
            } else {
                queue.addLast(i);
            }
        }
        capacity = to;
    }

    private int freeCount() {
        return strategy == AllocationStrategy.BITMAP ? lowest.size() : queue.size();
    }

    /** @return the slot index taken, or -1 */
    int take() {
        if (freeCount() == 0) {
            int next = growth.nextCapacity(capacity, maxCapacity);
            if (next <= capacity) {
                return -1;
            }
            addRange(capacity, next);
        }
        int index = strategy == AllocationStrategy.BITMAP ? lowest.pollFirst() : queue.pollFirst();
        if (objects.get(index) == null) {
            objects.set(index, nextSerial++);
        }
        inUse++;
        return index;
    }

    boolean canTake(int count) {
        int reachable = freeCount();
        int c = capacity;
        while (reachable < count) {
            int next = growth.nextCapacity(c, maxCapacity);
            if (next <= c) {
                return false;
            }
            reachable += next - c;
            c = next;
        }
        return true;
    }

    void release(int index) {
        inUse--;
        switch (strategy) {
            case STACK -> queue.addFirst(index);
            case FREE_LIST -> queue.addLast(index);
            case BITMAP -> lowest.add(index);
        }
    }

    int trim() {
        int newCapacity = capacity;
        while (newCapacity > initialCapacity && isFree(newCapacity - 1)) {
            newCapacity--;
        }
        int removed = capacity - newCapacity;
        for (int i = capacity - 1; i >= newCapacity; i--) {
            queue.remove(i);
            lowest.remove(i);
            objects.remove(i);
        }
        capacity = newCapacity;
        return removed;
    }

    private boolean isFree(int index) {
        return strategy == AllocationStrategy.BITMAP ? lowest.contains(index) : queue.contains(index);
    }

    int serialAt(int index) {
        return objects.get(index);
    }

    int capacity() {
        return capacity;
    }

    int available() {
        return freeCount();
    }

    int inUse() {
        return inUse;
    }
}
