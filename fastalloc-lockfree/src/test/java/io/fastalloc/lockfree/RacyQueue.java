package io.fastalloc.lockfree;

import org.jctools.queues.MessagePassingQueue;

/**
 * A deliberately broken free queue for the planted-bug runs: a ring buffer whose element count is
 * read and written back non-atomically by both the polling and the offering side (and whose head
 * is not claimed atomically), so a concurrent poll and offer lose an update and two concurrent
 * polls take the same element. A pool built on it must fail the Lincheck tests.
 */
final class RacyQueue<E> implements MessagePassingQueue<E> {
    private final Object[] buffer;
    private final int mask;
    private int head;
    private int tail;
    private int size;

    RacyQueue(int capacity) {
        int c = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1);
        buffer = new Object[c];
        mask = c - 1;
    }

    @Override
    public boolean offer(E e) {
        int n = size;
        if (n == buffer.length) {
            return false;
        }
        buffer[tail] = e;
        tail = (tail + 1) & mask;
        size = n + 1;
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E poll() {
        int n = size;
        if (n == 0) {
            return null;
        }
        int h = head;
        E e = (E) buffer[h];
        buffer[h] = null;
        head = (h + 1) & mask;
        size = n - 1;
        return e;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E peek() {
        return (E) buffer[head];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        while (poll() != null) {
            // drain
        }
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int capacity() {
        return buffer.length;
    }

    @Override
    public boolean relaxedOffer(E e) {
        return offer(e);
    }

    @Override
    public E relaxedPoll() {
        return poll();
    }

    @Override
    public E relaxedPeek() {
        return peek();
    }

    @Override
    public int drain(Consumer<E> c, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int fill(Supplier<E> s, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int drain(Consumer<E> c) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int fill(Supplier<E> s) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void drain(Consumer<E> c, WaitStrategy wait, ExitCondition exit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void fill(Supplier<E> s, WaitStrategy wait, ExitCondition exit) {
        throw new UnsupportedOperationException();
    }
}
