package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.Pool;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.ToLongFunction;

/**
 * An allocate/close loop with no volatile access of its own, so that nothing but the pool's own reads
 * can make it see {@code close()} (a volatile read here would stop the JIT hoisting the pool's reads
 * out of the loop). {@link #fresh()} loads a new copy of this class for each pool, so that each loop
 * is compiled for one pool class alone: a loop shared by every kind turns megamorphic, its calls stop
 * being inlined, and then nothing can be hoisted and no hoisting bug can show.
 */
public final class CompiledLoop implements ToLongFunction<Pool<Object>> {
    /** Iterations a loop may run before it must have seen close: seconds to minutes at any kind's speed. */
    static final long LIMIT = 2_000_000_000L;

    /** For {@link #fresh()}. */
    public CompiledLoop() {
    }

    @Override
    public long applyAsLong(Pool<Object> pool) {
        long sum = 0;
        for (long i = 0; i < LIMIT; i++) {
            Handle<Object> h = pool.allocate();
            sum += ((int[]) h.get())[0]++;
            h.close();
        }
        return sum;
    }

    /**
     * Returns a loop from a copy of this class that no other loop shares.
     *
     * @return a loop from a copy of this class that no other loop shares
     */
    @SuppressWarnings("unchecked")
    static ToLongFunction<Pool<Object>> fresh() {
        String name = CompiledLoop.class.getName();
        byte[] bytes;
        try (InputStream in = CompiledLoop.class.getResourceAsStream("CompiledLoop.class")) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ClassLoader loader = new ClassLoader(CompiledLoop.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (!n.equals(name)) {
                    return super.loadClass(n, resolve);
                }
                synchronized (getClassLoadingLock(n)) {
                    Class<?> c = findLoadedClass(n);
                    return c != null ? c : defineClass(n, bytes, 0, bytes.length);
                }
            }
        };
        try {
            return (ToLongFunction<Pool<Object>>) loader.loadClass(name).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
