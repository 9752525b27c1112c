package io.fastalloc.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a main class of this test class path in a JVM of its own, as a user would start it. */
final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * What the child JVM did.
     *
     * @param exit its exit status
     * @param out  what it printed on standard output
     * @param err  what it printed on standard error
     */
    record Run(int exit, String out, String err) {
    }

    /**
     * Starts {@code main} with {@code args} and waits for it (at most 120 s).
     *
     * @param agronaFlag whether to start it with {@link AgronaAccess#CLASS_PATH_FLAG}
     * @param main       the main class
     * @param args       its arguments
     * @return what it did
     * @throws Exception when it cannot be started or read
     */
    static Run run(boolean agronaFlag, String main, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        if (agronaFlag) {
            command.addAll(List.of(AgronaAccess.CLASS_PATH_FLAG.split(" ")));
        }
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        // both streams drained at once, so a child that fills one pipe cannot stall
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM should finish: " + command);
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
