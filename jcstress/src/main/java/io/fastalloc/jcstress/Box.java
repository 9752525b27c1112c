package io.fastalloc.jcstress;

/** The pooled object of every jcstress test: a payload the holder writes and a count the reset function bumps. */
public final class Box {
    /** Written by a holder. */
    public int payload;
    /** Bumped by the pool's reset function on each release. */
    public int resets;
}
