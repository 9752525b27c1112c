package io.fastalloc;

/** When a pool creates its objects. */
public enum InitializationStrategy {
    /** Every object is made when the pool (or a new growth segment) is built. */
    EAGER,
    /** An object is made the first time its slot is allocated. */
    LAZY
}
