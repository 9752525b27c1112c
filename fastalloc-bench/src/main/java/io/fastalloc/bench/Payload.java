package io.fastalloc.bench;

/**
 * The pooled object of the micro-benchmarks: two longs (32 bytes with compressed class pointers),
 * so that "write a field" touches the object and plain {@code new} allocates a realistic small object.
 */
public final class Payload {
    /** Fixed at creation; read back so the object's memory is touched. */
    long id;
    /** Written by every benchmark operation. */
    long value;

    Payload() {
    }

    Payload(long id) {
        this.id = id;
    }

    /** Clears the written field; the pools' reset function. */
    void clear() {
        value = 0;
    }
}
