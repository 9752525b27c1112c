package io.fastalloc.stats;

import org.agrona.concurrent.AtomicBuffer;

/**
 * Whether Agrona may reach {@code jdk.internal.misc.Unsafe} in this JVM, which every Agrona 2 buffer
 * needs, and the one line that tells the user how to let it.
 *
 * <p>Without the export, Agrona's first buffer fails deep inside {@code org.agrona.UnsafeApi} with an
 * {@link IllegalAccessError} that names no fix; the statistics check first and name it instead.
 */
final class AgronaAccess {
    /** The flag on the class path, where Agrona sits in the unnamed module. */
    static final String CLASS_PATH_FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";
    /** The flag on the module path, where Agrona is the module {@code org.agrona}. */
    static final String MODULE_PATH_FLAG = "--add-exports java.base/jdk.internal.misc=org.agrona";
    /** What is missing and how to add it, in one line. */
    static final String MISSING = "Agrona cannot reach jdk.internal.misc.Unsafe: start the JVM with "
            + CLASS_PATH_FLAG + " (class path) or " + MODULE_PATH_FLAG + " (module path)";

    /** Fixed at class initialisation: a module's exports do not shrink while the JVM runs. */
    private static final boolean GRANTED =
            Object.class.getModule().isExported("jdk.internal.misc", AtomicBuffer.class.getModule());

    private AgronaAccess() {
    }

    /** @return whether Agrona's buffers work in this JVM */
    static boolean granted() {
        return GRANTED;
    }

    /**
     * Throws unless Agrona's buffers work in this JVM.
     *
     * @throws IllegalStateException naming the flag to add, when the JVM was started without it
     */
    static void check() {
        if (!GRANTED) {
            throw new IllegalStateException("fastalloc-stats: " + MISSING);
        }
    }
}
