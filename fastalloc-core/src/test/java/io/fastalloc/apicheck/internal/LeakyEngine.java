package io.fastalloc.apicheck.internal;

/**
 * An engine in a package that is not API: the superclass of {@link io.fastalloc.apicheck.LeakyKind},
 * as FixedPool's engine was FixedPool's superclass before the kinds became interfaces.
 */
public class LeakyEngine {
    /** The state users must not see. */
    public int state;

    /**
     * @return a value
     */
    public int engineMethod() {
        return state;
    }
}
