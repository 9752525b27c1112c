/** Pool statistics on Agrona counters. */
module io.fastalloc.stats {
    requires transitive io.fastalloc.core;
    requires org.agrona;
}
