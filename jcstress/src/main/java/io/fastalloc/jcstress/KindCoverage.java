package io.fastalloc.jcstress;

import io.fastalloc.testkit.PoolKind;
import org.openjdk.jcstress.annotations.JCStressTest;

import java.util.ArrayList;
import java.util.List;

/**
 * The gate's check that the suite covers the registry: every concurrent kind of {@link PoolKind}
 * has a {@code <Kind>Tests} class here whose tests include the fast path ({@code FastPath*}) and a
 * close-versus-allocate test on it. A kind added to the registry without jcstress tests, or a
 * fast-path test dropped, fails {@code .ci/jcstress} before any test runs.
 *
 * <p>Run with {@code java -cp jcstress.jar io.fastalloc.jcstress.KindCoverage}: prints one line
 * per kind and exits with 1 when a kind is not covered.
 */
public final class KindCoverage {
    private KindCoverage() {
    }

    /**
     * @param args none
     */
    public static void main(String[] args) {
        List<String> missing = new ArrayList<>();
        int total = 0;
        int fastPath = 0;
        for (PoolKind kind : PoolKind.concurrent()) {
            String name = KindCoverage.class.getPackageName() + '.' + kind.kindName() + "Tests";
            Class<?> tests;
            try {
                tests = Class.forName(name);
            } catch (ClassNotFoundException e) {
                missing.add(kind + ": no " + name);
                continue;
            }
            int all = 0;
            int fast = 0;
            boolean closeRace = false;
            for (Class<?> test : tests.getDeclaredClasses()) {
                if (!test.isAnnotationPresent(JCStressTest.class)) {
                    continue;
                }
                all++;
                if (test.getSimpleName().startsWith("FastPath")) {
                    fast++;
                    closeRace |= test.getSimpleName().endsWith("CloseVersusAllocate");
                }
            }
            System.out.printf("%s: %d tests, %d on the fast path%s%n", kind, all, fast,
                    closeRace ? ", close versus allocate among them" : "");
            if (fast == 0) {
                missing.add(kind + ": no FastPath test");
            }
            if (!closeRace) {
                missing.add(kind + ": no FastPath*CloseVersusAllocate test");
            }
            total += all;
            fastPath += fast;
        }
        System.out.printf("concurrent kinds: %d; tests: %d, %d on the fast path%n", PoolKind.concurrent().size(),
                total, fastPath);
        if (!missing.isEmpty()) {
            missing.forEach(m -> System.err.println("jcstress does not cover " + m));
            System.exit(1);
        }
    }
}
