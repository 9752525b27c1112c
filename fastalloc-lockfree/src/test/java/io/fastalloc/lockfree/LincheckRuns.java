package io.fastalloc.lockfree;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/** Lincheck settings small enough for 2 cores (see TOOLCHAIN.md). */
final class LincheckRuns {
    private LincheckRuns() {
    }

    static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions().iterations(20).invocationsPerIteration(500).threads(2).actorsPerThread(3);
    }

    static StressOptions stress() {
        return new StressOptions().iterations(10).invocationsPerIteration(500).threads(2).actorsPerThread(3);
    }
}
