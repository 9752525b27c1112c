package io.fastalloc;

/**
 * Which free object a pool hands out next. The choice is observable.
 */
public enum AllocationStrategy {
    /** The most recently released object first (LIFO): its cache lines are most likely still hot. */
    STACK,
    /** The least recently released object first (FIFO): even wear, every object stays warm. */
    FREE_LIST,
    /**
     * The free object with the lowest slot index first: the live set stays compact at the bottom,
     * so a growing pool can trim from the top.
     */
    BITMAP
}
