package io.fastalloc.lockfree;

import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.PoolKind;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.StressOptions;

import java.util.stream.Stream;

/**
 * Lincheck settings small enough for 2 cores (see TOOLCHAIN.md), and the configuration the pools of
 * the next run are made in.
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
     * Scenarios for a configuration: the fast path gets the most.
     *
     * @param configuration the configuration
     * @return the number of scenarios (iterations) to generate
     */
    static int iterations(Configuration configuration) {
        return configuration == Configuration.FAST_PATH ? 5 : 2;
    }

    /**
     * Interleavings per scenario for a configuration: the fast path gets the most.
     *
     * @param configuration the configuration
     * @return the invocations per iteration
     */
    static int invocations(Configuration configuration) {
        return configuration == Configuration.FAST_PATH ? 150 : 90;
    }

    /**
     * Model checking for a kind in a configuration. A kind with thread roles in checked mode gets no
     * init and post parts: Lincheck runs those on its first thread, and checked mode would rightly
     * refuse a second allocating (or releasing) thread.
     *
     * @param kind          the kind
     * @param configuration the configuration
     * @return the options
     */
    static ModelCheckingOptions modelChecking(PoolKind kind, Configuration configuration) {
        ModelCheckingOptions options = new ModelCheckingOptions().iterations(iterations(configuration))
                .invocationsPerIteration(invocations(configuration)).threads(2).actorsPerThread(3)
                .actorsBefore(2).actorsAfter(2);
        if (configuration == Configuration.CHECKED && !kind.anyThread()) {
            options.actorsBefore(0).actorsAfter(0);
        }
        return options;
    }

    /** For the planted-bug runs: more scenarios (the run stops at the first failure), no minimizing. */
    static ModelCheckingOptions modelCheckingBroken() {
        return new ModelCheckingOptions().iterations(50).invocationsPerIteration(300).threads(2).actorsPerThread(3)
                .minimizeFailedScenario(false);
    }

    /** Stress, on the fast path: real threads, compiled code. */
    static StressOptions stress() {
        return new StressOptions().iterations(2).invocationsPerIteration(300).threads(2).actorsPerThread(3);
    }
}
