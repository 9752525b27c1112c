package io.fastalloc;

import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;
import org.jetbrains.lincheck.datastructures.Options;

import java.util.stream.Stream;

/**
 * The configuration the pools of the next Lincheck run are made in, and how many scenarios each
 * configuration gets (as {@code fastalloc-lockfree}'s {@code LincheckRuns}).
 *
 * <p>Each kind is model-checked in every configuration that changes its code
 * ({@link Configuration#pathsOf}). Lincheck makes its test instances itself (no-arg constructor), so
 * a run's configuration reaches them through {@link #configuration()}, set by
 * {@link #check(Configuration, Options, Class)} around the run. {@link Configuration#FAST_PATH}, the
 * path users' benchmarks run, gets the most scenarios and interleavings, and the stress runs; the
 * others get fewer, so that all Lincheck tests together cost at most about 1.5 times what they did
 * when they ran one configuration each (1.2 to 1.3 times, measured on 2 shared cores).
 */
final class LincheckRuns {
    /** The configuration of the run in progress; read by the test instances' constructors. */
    private static volatile Configuration current = Configuration.FAST_PATH;

    private LincheckRuns() {
    }

    /** @return the configuration the pools of the run in progress are made in */
    static Configuration configuration() {
        return current;
    }

    /**
     * @param kind the kind
     * @return the configurations that change the kind's code, for a {@code @MethodSource}
     */
    static Stream<Configuration> paths(PoolKind kind) {
        return Configuration.pathsOf(kind).stream();
    }

    /**
     * Runs {@code options} on {@code test} with its pools made in {@code configuration}.
     *
     * @param configuration the configuration
     * @param options       the Lincheck options
     * @param test          the test class
     */
    static void check(Configuration configuration, Options<?, ?> options, Class<?> test) {
        current = configuration;
        try {
            options.check(test);
        } finally {
            current = Configuration.FAST_PATH;
        }
    }

    /**
     * @param configuration the configuration
     * @param fastPath      the scenarios the fast path gets
     * @return the scenarios (iterations) {@code configuration} gets: 2 for the others
     */
    static int iterations(Configuration configuration, int fastPath) {
        return configuration == Configuration.FAST_PATH ? fastPath : 2;
    }

    /**
     * @param configuration the configuration
     * @return the interleavings per scenario {@code configuration} gets: 150 on the fast path, else 90
     */
    static int invocations(Configuration configuration) {
        return configuration == Configuration.FAST_PATH ? 150 : 90;
    }
}
