package io.fastalloc.lockfree;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} for the current thread, reached
 * through a method handle: the test sources compile against this module's module-info, which does
 * not read {@code jdk.management}; surefire runs them on the class path, where everything is readable.
 * {@code invokeExact} on a {@code (long)long} handle boxes nothing, so the probe itself allocates nothing.
 */
final class AllocatedBytes {
    private static final MethodHandle GET;

    static {
        try {
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Object bean = factory.getMethod("getThreadMXBean").invoke(null);
            Class<?> sunBean = Class.forName("com.sun.management.ThreadMXBean");
            GET = MethodHandles.publicLookup()
                    .findVirtual(sunBean, "getThreadAllocatedBytes", MethodType.methodType(long.class, long.class))
                    .bindTo(bean);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private AllocatedBytes() {
    }

    /** @return bytes the current thread has allocated so far */
    static long current() {
        long id = Thread.currentThread().getId();
        try {
            return (long) GET.invokeExact(id);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
