package io.fastalloc.lockfree;

import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;
import io.fastalloc.PoolExhaustedException;
import io.fastalloc.PoolView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CachingPool#view()}: a caller-held view hands out the pool's own handles, under the pool's
 * contract, and belongs to the thread that made it. Each test runs unchecked and checked.
 */
class CachingPoolViewTest {
    private static final int WARM_UP = 200_000;
    private static final int PAIRS = 100_000;
    private static final int TRIES = 5;

    private static CachingPool<Item> pool(int capacity, boolean checked) {
        return CachingPool.create(PoolConfig.<Item>builder().capacity(capacity).factory(new Item.Factory())
                .checked(checked).build());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldHandOutEveryObjectOnceAndThenReportExhaustion(boolean checked) {
        CachingPool<Item> pool = pool(64, checked);
        PoolView<Item> view = pool.view();
        List<Handle<Item>> held = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            Handle<Item> h = view.allocate();
            assertTrue(ids.add(h.get().id), "object " + h.get().id + " handed out twice");
            held.add(h);
        }
        assertNull(view.tryAllocate());
        assertThrows(PoolExhaustedException.class, view::allocate);
        assertEquals(0, pool.available());
        held.forEach(Handle::close);
        assertEquals(64, pool.available());
        assertEquals(0, pool.inUse());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRefuseASecondCloseOnTheViewsThread(boolean checked) {
        CachingPool<Item> pool = pool(64, checked);
        PoolView<Item> view = pool.view();
        Handle<Item> h = view.allocate();
        h.close();
        assertThrows(IllegalStateException.class, h::close);
        assertEquals(64, pool.available());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldTakeBackAViewsHandleClosedOnAnotherThread(boolean checked) throws Exception {
        CachingPool<Item> pool = pool(64, checked);
        PoolView<Item> view = pool.view();
        Handle<Item> h = view.allocate();
        h.get().value = 7;
        CompletableFuture.runAsync(h::close).get();
        assertThrows(IllegalStateException.class, h::close);
        assertEquals(64, pool.available());
        assertEquals(0, pool.inUse());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRefuseEveryCallOnAnotherThreadNamingBothThreads(boolean checked) throws Exception {
        CachingPool<Item> pool = pool(64, checked);
        PoolView<Item> view = pool.view();
        for (Runnable call : new Runnable[] {view::allocate, view::tryAllocate, view::close, () -> {
            try {
                view.allocate(1, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }}) {
            AtomicReference<String> thread = new AtomicReference<>();
            ExecutionException e = assertThrows(ExecutionException.class, () -> CompletableFuture.runAsync(() -> {
                thread.set(Thread.currentThread().getName());
                call.run();
            }).get());
            IllegalStateException wrong = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(wrong.getMessage().contains(Thread.currentThread().getName()), wrong.getMessage());
            assertTrue(wrong.getMessage().contains(thread.get()), wrong.getMessage());
        }
        assertNotNull(view.allocate()); // still usable on its own thread
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldGiveItsCachedObjectsBackWhenClosedAndKeepHandlesValid(boolean checked) throws Exception {
        CachingPool<Item> pool = pool(1024, checked);
        PoolView<Item> view = pool.view();
        List<Handle<Item>> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            held.add(view.allocate());
        }
        Handle<Item> kept = held.remove(0);
        held.forEach(Handle::close); // into this thread's magazine
        view.close();
        view.close(); // idempotent
        assertThrows(IllegalStateException.class, view::allocate);
        assertThrows(IllegalStateException.class, view::tryAllocate);
        // another thread can get every free object: none is left in this thread's magazine
        int got = CompletableFuture.supplyAsync(() -> {
            List<Handle<Item>> all = new ArrayList<>();
            for (Handle<Item> h = pool.tryAllocate(); h != null; h = pool.tryAllocate()) {
                all.add(h);
            }
            all.forEach(Handle::close);
            return all.size();
        }).get();
        assertEquals(1023, got);
        kept.get().value = 1; // still valid after the view closed
        kept.close();
        assertEquals(1024, pool.available());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRefuseAllocationThroughAViewOnceThePoolIsClosed(boolean checked) {
        CachingPool<Item> pool = pool(64, checked);
        PoolView<Item> view = pool.view();
        Handle<Item> h = view.allocate();
        pool.close();
        assertThrows(IllegalStateException.class, view::allocate);
        assertThrows(IllegalStateException.class, pool::view);
        h.close(); // outstanding handles may still be closed
    }

    @Test
    void shouldHandOutCheckedLeasesThatCatchUseAfterRelease() {
        CachingPool<Item> pool = pool(64, true);
        PoolView<Item> view = pool.view();
        Handle<Item> first = view.allocate();
        first.close();
        Handle<Item> second = view.allocate();
        assertThrows(IllegalStateException.class, first::get);
        assertThrows(IllegalStateException.class, first::close);
        second.close();
    }

    @Test
    void shouldShareTheThreadsMagazineWithThePool() {
        CachingPool<Item> pool = pool(1024, false);
        PoolView<Item> view = pool.view();
        Handle<Item> h = view.allocate();
        Item item = h.get();
        h.close();
        Handle<Item> again = pool.allocate(); // the same thread's magazine: its hot object
        assertSame(item, again.get());
        again.close();
    }

    @Test
    void shouldAllocateNothingInSteadyState() {
        CachingPool<Item> pool = pool(1024, false);
        PoolView<Item> view = pool.view();
        pairs(view, WARM_UP);
        long least = Long.MAX_VALUE;
        for (int t = 0; t < TRIES && least > 0; t++) {
            least = Math.min(least, pairs(view, PAIRS));
        }
        assertEquals(0, least);
    }

    private static long pairs(PoolView<Item> view, int n) {
        long before = AllocatedBytes.current();
        for (int i = 0; i < n; i++) {
            Handle<Item> h = view.tryAllocate();
            h.get().value = i;
            h.close();
        }
        return AllocatedBytes.current() - before;
    }
}
