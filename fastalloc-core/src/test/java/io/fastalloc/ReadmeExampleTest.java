package io.fastalloc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The README's "A first pool" example, compiled and run as written. Lines marked {@code // test:}
 * are added to observe it; every other line is the README's, in order.
 */
class ReadmeExampleTest {

    static final class Order {
        long id;
        double price;
        void clear() { id = 0; price = 0; }
    }

    @Test
    void shouldRunTheReadmeExampleAndGetTheOrderBackReset() {
        Order[] written = new Order[1]; // test:

        PoolConfig<Order> config = PoolConfig.<Order>builder()
                .capacity(1024)
                .factory(Order::new)
                .reset(Order::clear)
                .build();

        try (FixedPool<Order> pool = FixedPool.create(config)) {
            try (Handle<Order> handle = pool.allocate()) {
                Order order = handle.get();
                order.id = 42;
                order.price = 101.25;
                written[0] = order; // test:
                assertEquals(1023, pool.available()); // test:
            } // reset and back in the pool: no garbage
            assertEquals(1024, pool.available()); // test:
            try (Handle<Order> again = pool.allocate()) { // test:
                assertSame(written[0], again.get()); // test: STACK gives the same object back
                assertEquals(0, again.get().id); // test: reset
                assertEquals(0.0, again.get().price); // test:
            } // test:
        }
        assertNotNull(written[0]); // test:
    }
}
