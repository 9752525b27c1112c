package io.fastalloc.lockfree;

import io.fastalloc.testkit.Configuration;
import io.fastalloc.testkit.KindConfiguration;
import io.fastalloc.testkit.PoolKind;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ContractCheckers#compiledLoopSeesClose} in a JVM of its own, as a user's program runs it:
 * no other kind or configuration has run through the pool's code before, so the JIT compiles the
 * loop with the profile of this pool alone, inlines its fast path whole and hoists whatever it may.
 * In the test JVM, the profiles of every kind and configuration run before pile up in the pool's
 * shared methods, and a hoisting bug shows less often.
 */
public final class CompiledLoopFork {
    private CompiledLoopFork() {
    }

    /**
     * Runs the check on one kind in one configuration; exits 0 when the loop saw close, 1 when not.
     *
     * @param args the {@link PoolKind} and the {@link Configuration}, by name
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals(PLANTED)) { // the control: PlantedBugPool's plain closed read
            try {
                ContractCheckers.compiledLoopSeesClose("planted", PlantedBugsTest.planted(PlantedBugPool.Bug.PLAIN_CLOSED_READ));
            } catch (AssertionError e) {
                System.out.println(e.getMessage());
                System.exit(1);
            }
            System.out.println("planted: the compiled loop saw close");
            System.exit(0);
        }
        KindConfiguration cell = new KindConfiguration(PoolKind.valueOf(args[0]), Configuration.valueOf(args[1]));
        try {
            ContractCheckers.compiledLoopSeesClose(cell.toString(), EveryKindContractTest.maker(cell));
        } catch (AssertionError e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
        System.out.println(cell + ": the compiled loop saw close");
        System.exit(0);
    }

    /**
     * Runs {@link #main} in a new JVM on this JVM's class path.
     *
     * @param cell the kind and configuration
     * @return what the JVM printed, and its exit code last (as "exit N")
     */
    static String run(KindConfiguration cell) throws Exception {
        return run(cell.kind().name(), cell.configuration().name());
    }

    /** The first argument of {@link #main} that runs the check on the planted plain closed read. */
    static final String PLANTED = "PLANTED";

    /**
     * Runs {@link #main} in a new JVM on this JVM's class path.
     *
     * @param kind          a {@link PoolKind} name, or {@link #PLANTED}
     * @param configuration a {@link Configuration} name
     * @return what the JVM printed, and its exit code last (as "exit N")
     */
    static String run(String kind, String configuration) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Xmx128m");
        command.add(CompiledLoopFork.class.getName());
        command.add(kind);
        command.add(configuration);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) + "\nexit timeout";
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim() + "\nexit " + p.exitValue();
    }
}
