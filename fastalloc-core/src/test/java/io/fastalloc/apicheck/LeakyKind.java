package io.fastalloc.apicheck;

import io.fastalloc.apicheck.internal.LeakyEngine;

import java.util.List;

/**
 * The checker's planted bug: a public type of an "API" package that extends an internal engine,
 * returns an internal type from a method and takes one, nested in a generic type, as a parameter.
 */
public final class LeakyKind extends LeakyEngine {
    /**
     * @return an internal type
     */
    public LeakyEngine engine() {
        return this;
    }

    /**
     * @param engines internal types, nested in a generic type
     */
    public void take(List<? extends LeakyEngine> engines) {
    }

    /** A public type that leaks nothing, so the checker must not flag everything. */
    public static final class Clean {
        /**
         * @return a JDK type
         */
        public String name() {
            return "clean";
        }
    }
}
