package io.fastalloc.lockfree.internal;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpmcArrayQueue;
import org.jctools.queues.SpscArrayQueue;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;
import org.jctools.queues.varhandle.SpmcVarHandleArrayQueue;
import org.jctools.queues.varhandle.SpscVarHandleArrayQueue;

import java.util.Locale;

/**
 * Makes the JCTools queues the lock-free pools keep their free slots in, in one of JCTools' two
 * flavours, chosen once per JVM:
 * <ul>
 *   <li>{@link Flavour#UNSAFE}, {@code jctools-core}'s queues on {@code sun.misc.Unsafe}: the faster
 *       ones, used where that costs nothing else: on JDK 17 to 23 when {@code jdk.unsupported} is
 *       readable (always on the class path; on the module path only if the application resolves it),
 *       and on JDK 24 and later only when the JVM was started with
 *       {@code --sun-misc-unsafe-memory-access=allow} (else each run would print JDK 24's
 *       deprecation warning, and a JVM that denies the access would throw);</li>
 *   <li>{@link Flavour#VARHANDLE}, {@code jctools-core-jdk11}'s queues on {@code VarHandle}s, in
 *       every other case, so the module runs on the module path with no flag and with
 *       {@code sun.misc.Unsafe} denied.</li>
 * </ul>
 * The system property {@value #PROPERTY} ({@code unsafe} or {@code varhandle}) overrides the choice;
 * any other value, or {@code unsafe} where {@code jdk.unsupported} is not readable, makes every
 * lock-free pool's creation throw {@link IllegalArgumentException} naming the property.
 * docs/architecture.md gives the measured difference between the flavours.
 */
public final class Queues {
    /** The system property that picks the flavour: {@code unsafe} or {@code varhandle}. */
    public static final String PROPERTY = "fastalloc.queues";

    /** JCTools' two implementations of the same bounded array queues. */
    public enum Flavour {
        /** {@code jctools-core}: array accesses through {@code sun.misc.Unsafe}. */
        UNSAFE,
        /** {@code jctools-core-jdk11}: array accesses through {@code VarHandle}s. */
        VARHANDLE
    }

    /** The flavour of this JVM, or null when {@link #PROPERTY} is wrong; fixed at class initialisation. */
    private static final Flavour FLAVOUR;
    /** Why {@link #PROPERTY} is wrong, when it is; thrown at every pool made. */
    private static final String REFUSED;

    static {
        Flavour f = null;
        String refused = null;
        try {
            f = choose(System.getProperty(PROPERTY), Runtime.version().feature(),
                    System.getProperty("sun.misc.unsafe.memory.access"), unsupportedReadable());
        } catch (IllegalArgumentException e) {
            refused = e.getMessage();
        }
        FLAVOUR = f;
        REFUSED = refused;
    }

    private Queues() {
    }

    /**
     * @return the flavour the pools of this JVM use
     * @throws IllegalArgumentException when the {@value #PROPERTY} property is wrong
     */
    public static Flavour flavour() {
        if (FLAVOUR == null) {
            throw new IllegalArgumentException(REFUSED);
        }
        return FLAVOUR;
    }

    /**
     * The choice, from what the JVM tells.
     *
     * @param override           the {@value #PROPERTY} property, or null
     * @param feature            the JDK's feature release (17, 21, 25, ...)
     * @param memoryAccess       the {@code sun.misc.unsafe.memory.access} property (set by
     *                           {@code --sun-misc-unsafe-memory-access}), or null
     * @param unsupportedReadable whether JCTools can read {@code jdk.unsupported}
     * @return the flavour
     * @throws IllegalArgumentException for an override other than {@code unsafe} or {@code varhandle},
     *                                  or {@code unsafe} where JCTools cannot read {@code jdk.unsupported}
     */
    static Flavour choose(String override, int feature, String memoryAccess, boolean unsupportedReadable) {
        if (override != null) {
            switch (override.trim().toLowerCase(Locale.ROOT)) {
                case "unsafe":
                    if (!unsupportedReadable) {
                        throw new IllegalArgumentException(PROPERTY + ": unsafe, but module jdk.unsupported is not "
                                + "readable (add --add-modules jdk.unsupported, or use varhandle)");
                    }
                    return Flavour.UNSAFE;
                case "varhandle":
                    return Flavour.VARHANDLE;
                default:
                    throw new IllegalArgumentException(PROPERTY + ": " + override + " (expected: unsafe or varhandle)");
            }
        }
        if (!unsupportedReadable) {
            return Flavour.VARHANDLE;
        }
        if (feature >= 24 && !"allow".equals(memoryAccess)) {
            return Flavour.VARHANDLE;
        }
        return Flavour.UNSAFE;
    }

    private static boolean unsupportedReadable() {
        Module jctools = MessagePassingQueue.class.getModule();
        return ModuleLayer.boot().findModule("jdk.unsupported").map(jctools::canRead).orElse(false);
    }

    /**
     * @param capacity at least 2; rounded up to a power of two
     * @param <E>      the element type
     * @return an empty multi-producer multi-consumer queue of this JVM's flavour
     * @throws IllegalArgumentException when the {@value #PROPERTY} property is wrong
     */
    public static <E> MessagePassingQueue<E> mpmc(int capacity) {
        return flavour() == Flavour.UNSAFE ? new MpmcArrayQueue<>(capacity) : new MpmcVarHandleArrayQueue<>(capacity);
    }

    /**
     * @param capacity at least 4; rounded up to a power of two
     * @param <E>      the element type
     * @return an empty single-producer single-consumer queue of this JVM's flavour
     */
    public static <E> MessagePassingQueue<E> spsc(int capacity) {
        return flavour() == Flavour.UNSAFE ? new SpscArrayQueue<>(capacity) : new SpscVarHandleArrayQueue<>(capacity);
    }

    /**
     * @param capacity at least 2; rounded up to a power of two
     * @param <E>      the element type
     * @return an empty multi-producer single-consumer queue of this JVM's flavour
     */
    public static <E> MessagePassingQueue<E> mpsc(int capacity) {
        return flavour() == Flavour.UNSAFE ? new MpscArrayQueue<>(capacity) : new MpscVarHandleArrayQueue<>(capacity);
    }

    /**
     * @param capacity at least 2; rounded up to a power of two
     * @param <E>      the element type
     * @return an empty single-producer multi-consumer queue of this JVM's flavour
     */
    public static <E> MessagePassingQueue<E> spmc(int capacity) {
        return flavour() == Flavour.UNSAFE ? new SpmcArrayQueue<>(capacity) : new SpmcVarHandleArrayQueue<>(capacity);
    }
}
