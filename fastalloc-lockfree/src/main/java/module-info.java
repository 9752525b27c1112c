/**
 * Lock-free pools on JCTools queues: {@code jctools-core}'s {@code sun.misc.Unsafe} queues where
 * they cost nothing else (JDK 17 to 23 with {@code jdk.unsupported} readable, or JDK 24+ started with
 * {@code --sun-misc-unsafe-memory-access=allow}), else {@code jctools-core-jdk11}'s {@code VarHandle}
 * queues, so the module also runs on the module path with no flag and with {@code sun.misc.Unsafe}
 * denied. The system property {@code fastalloc.queues} ({@code unsafe} or {@code varhandle}) overrides
 * the choice.
 */
module io.fastalloc.lockfree {
    requires transitive io.fastalloc.core;
    requires org.jctools.core;
    requires org.jctools.core.jdk11;

    exports io.fastalloc.lockfree;
}
