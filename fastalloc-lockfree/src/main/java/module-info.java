/**
 * Lock-free pools on JCTools queues: the {@code VarHandle} queues of {@code jctools-core-jdk11}, so
 * the module runs on the module path without {@code jdk.unsupported} and never calls
 * {@code sun.misc.Unsafe}.
 */
module io.fastalloc.lockfree {
    requires transitive io.fastalloc.core;
    requires org.jctools.core;
    requires org.jctools.core.jdk11;

    exports io.fastalloc.lockfree;
}
