package io.fastalloc.lockfree;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/** Lincheck settings small enough for 2 cores (see TOOLCHAIN.md). */
final class LincheckRuns {
    private LincheckRuns() {
    }

    static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions().iterations(10).invocationsPerIteration(300).threads(2).actorsPerThread(3);
    }

    /** For the planted-bug runs: more scenarios (the run stops at the first failure), no minimizing. */
    static ModelCheckingOptions modelCheckingBroken() {
        return new ModelCheckingOptions().iterations(50).invocationsPerIteration(300).threads(2).actorsPerThread(3)
                .minimizeFailedScenario(false);
    }

    static StressOptions stress() {
        return new StressOptions().iterations(5).invocationsPerIteration(300).threads(2).actorsPerThread(3);
    }
}
