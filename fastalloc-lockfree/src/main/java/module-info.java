/** Lock-free pools on JCTools queues. */
module io.fastalloc.lockfree {
    requires transitive io.fastalloc.core;
    requires org.jctools.core;

    exports io.fastalloc.lockfree;
}
