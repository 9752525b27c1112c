package io.fastalloc.internal;

import io.fastalloc.AllocationStrategy;

import java.util.Arrays;

/**
 * The set of free slot indices of one pool, ordered by an {@link AllocationStrategy}.
 *
 * <p><b>Thread safety</b>: none. A single-threaded pool owns one outright; a shared pool guards it
 * with its lock or confines it to one thread.
 */
public abstract class FreeSlots {
    /** How many indices are free. */
    protected int size;

    /**
     * @param strategy which index goes out next: {@code FREE_LIST} or {@code BITMAP}
     * @param capacity indices {@code [0, capacity)} start free, to be handed out lowest first
     * @return an empty-of-garbage free set for {@code strategy}
     */
    public static FreeSlots create(AllocationStrategy strategy, int capacity) {
        FreeSlots slots;
        switch (strategy) {
            case FREE_LIST:
                slots = new Fifo(capacity);
                break;
            case BITMAP:
                slots = new Bitmap(capacity);
                break;
            default: // STACK: the slot store keeps the free slots themselves, not their indices
                throw new IllegalArgumentException("allocationStrategy: " + strategy
                        + " (expected: FREE_LIST or BITMAP)");
        }
        slots.addRange(0, capacity);
        return slots;
    }

    /** @return how many indices are free */
    public final int size() {
        return size;
    }

    /** @return the next free index, removed from the set, or {@code -1} when none is free */
    public abstract int poll();

    /**
     * Puts back an index that {@link #poll()} just returned, as if it had never been taken.
     *
     * @param index the index {@link #poll()} returned last
     */
    public abstract void undoPoll(int index);

    /**
     * Frees an index.
     *
     * @param index an index not in the set
     */
    public abstract void push(int index);

    /**
     * Frees the new indices {@code [from, to)}, so that the lowest of them goes out first among them.
     *
     * @param from first new index
     * @param to   one past the last
     */
    public abstract void addRange(int from, int to);

    /**
     * Removes every index {@code >= limit}; the caller knows they are all free.
     *
     * @param limit the new capacity
     */
    public abstract void removeAtOrAbove(int limit);

    /**
     * Sets bit {@code i} of {@code bits} for every free index {@code i}.
     *
     * @param bits a bitmap large enough for every index
     */
    public abstract void markFree(long[] bits);

    /** FIFO: first pushed, first polled; a ring of indices. */
    static final class Fifo extends FreeSlots {
        private int[] ring;
        private int mask;
        private int head;

        Fifo(int capacity) {
            ring = new int[ringSize(capacity)];
            mask = ring.length - 1;
        }

        private static int ringSize(int n) {
            return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
        }

        @Override
        public int poll() {
            if (size == 0) {
                return -1;
            }
            int index = ring[head];
            head = (head + 1) & mask;
            size--;
            return index;
        }

        @Override
        public void undoPoll(int index) {
            head = (head - 1) & mask;
            ring[head] = index;
            size++;
        }

        @Override
        public void push(int index) {
            ring[(head + size) & mask] = index;
            size++;
        }

        @Override
        public void addRange(int from, int to) {
            ensure(to); // room for every index: all may be free at once
            for (int i = from; i < to; i++) {
                push(i);
            }
        }

        private void ensure(int n) {
            if (n <= ring.length) {
                return;
            }
            int[] bigger = new int[ringSize(n)];
            for (int i = 0; i < size; i++) {
                bigger[i] = ring[(head + i) & mask];
            }
            ring = bigger;
            mask = bigger.length - 1;
            head = 0;
        }

        @Override
        public void removeAtOrAbove(int limit) {
            int kept = 0;
            int n = size;
            for (int i = 0; i < n; i++) {
                int index = ring[(head + i) & mask];
                if (index < limit) {
                    ring[(head + kept) & mask] = index;
                    kept++;
                }
            }
            size = kept;
        }

        @Override
        public void markFree(long[] bits) {
            for (int i = 0; i < size; i++) {
                int index = ring[(head + i) & mask];
                bits[index >>> 6] |= 1L << index;
            }
        }
    }

    /**
     * Lowest index first: one bit per index, set when free; word scans with
     * {@link Long#numberOfTrailingZeros(long)} from a hint below which every word is empty.
     * O(capacity / 64) worst case, O(1) when the pool is used as a stack near the bottom.
     */
    static final class Bitmap extends FreeSlots {
        private long[] words;
        /** No free bit lives in a word below this one. */
        private int lowestWord;

        Bitmap(int capacity) {
            words = new long[(capacity + 63) >>> 6];
        }

        @Override
        public int poll() {
            if (size == 0) {
                return -1;
            }
            long[] w = words;
            int i = lowestWord;
            while (w[i] == 0L) {
                i++;
            }
            lowestWord = i;
            long word = w[i];
            w[i] = word & (word - 1);
            size--;
            return (i << 6) + Long.numberOfTrailingZeros(word);
        }

        @Override
        public void undoPoll(int index) {
            push(index);
        }

        @Override
        public void push(int index) {
            int i = index >>> 6;
            words[i] |= 1L << index;
            if (i < lowestWord) {
                lowestWord = i;
            }
            size++;
        }

        @Override
        public void addRange(int from, int to) {
            int need = (to + 63) >>> 6;
            if (need > words.length) {
                words = Arrays.copyOf(words, need);
            }
            for (int i = from; i < to; i++) {
                push(i);
            }
        }

        @Override
        public void removeAtOrAbove(int limit) {
            for (int i = limit >>> 6; i < words.length; i++) {
                long keep = i == (limit >>> 6) ? (limit & 63) == 0 ? 0L : (-1L >>> (64 - (limit & 63))) : 0L;
                size -= Long.bitCount(words[i] & ~keep);
                words[i] &= keep;
            }
        }

        @Override
        public void markFree(long[] bits) {
            for (int i = 0; i < words.length && i < bits.length; i++) {
                bits[i] |= words[i];
            }
        }
    }
}
