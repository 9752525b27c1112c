package io.fastalloc.lockfree.internal;

import io.fastalloc.lockfree.internal.Queues.Flavour;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which JCTools flavour the lock-free pools take, for each JVM they may run on. */
class QueuesTest {
    @Test
    void unsafeQueuesOnJdk17To23WhenJdkUnsupportedIsReadable() {
        assertEquals(Flavour.UNSAFE, Queues.choose(null, 17, null, true));
        assertEquals(Flavour.UNSAFE, Queues.choose(null, 23, null, true));
    }

    @Test
    void varHandleQueuesOnTheModulePathWithoutJdkUnsupported() {
        assertEquals(Flavour.VARHANDLE, Queues.choose(null, 17, null, false));
        assertEquals(Flavour.VARHANDLE, Queues.choose(null, 25, "allow", false));
    }

    @Test
    void varHandleQueuesOnJdk24AndLaterUnlessUnsafeMemoryAccessIsAllowed() {
        assertEquals(Flavour.VARHANDLE, Queues.choose(null, 24, null, true), "warn, the default");
        assertEquals(Flavour.VARHANDLE, Queues.choose(null, 25, "warn", true));
        assertEquals(Flavour.VARHANDLE, Queues.choose(null, 25, "debug", true));
        assertEquals(Flavour.VARHANDLE, Queues.choose(null, 25, "deny", true));
        assertEquals(Flavour.UNSAFE, Queues.choose(null, 25, "allow", true));
    }

    @Test
    void thePropertyOverridesTheChoiceAndAWrongValueIsRefusedNamingIt() {
        assertEquals(Flavour.VARHANDLE, Queues.choose("varhandle", 17, null, true));
        assertEquals(Flavour.UNSAFE, Queues.choose(" Unsafe ", 25, "deny", true));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> Queues.choose("fast", 17, null, true));
        assertTrue(wrong.getMessage().startsWith("fastalloc.queues: fast (expected: unsafe or varhandle)"),
                wrong.getMessage());
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> Queues.choose("unsafe", 17, null, false));
        assertTrue(unreadable.getMessage().contains("jdk.unsupported is not readable"), unreadable.getMessage());
    }

    @Test
    void thisJvmsQueuesAreOfTheChosenFlavour() {
        Flavour expected = Queues.choose(System.getProperty(Queues.PROPERTY), Runtime.version().feature(),
                System.getProperty("sun.misc.unsafe.memory.access"), true);
        assertEquals(expected, Queues.flavour(), "this test JVM runs on the class path: jdk.unsupported is readable");
        if (expected == Flavour.UNSAFE) {
            assertInstanceOf(MpmcArrayQueue.class, Queues.mpmc(2));
        } else {
            assertInstanceOf(MpmcVarHandleArrayQueue.class, Queues.mpmc(2));
        }
    }
}
