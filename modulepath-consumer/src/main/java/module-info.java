/**
 * A consumer of fastalloc on the module path, as a JPMS application would be: it reads only what
 * {@code io.fastalloc.lockfree} (and through it {@code io.fastalloc.core}) exports, and its build
 * runs it with {@code java -p ... -m io.fastalloc.consumer/io.fastalloc.consumer.ModulePathConsumer}
 * and no other flag.
 */
module io.fastalloc.consumer {
    requires io.fastalloc.lockfree;
}
