// Run: java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.GameEntities
package io.fastalloc.examples;

import io.fastalloc.AllocationStrategy;
import io.fastalloc.GrowingPool;
import io.fastalloc.GrowthStrategy;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A game loop on one thread: enemies spawn in waves and die, taken from a single-threaded
 * {@link GrowingPool}. The pool grows during the big wave, and {@link GrowingPool#trim()} gives the
 * extra objects back afterwards. {@link AllocationStrategy#BITMAP} keeps live entities in the lowest
 * slots, which is what lets trimming free the top.
 */
public final class GameEntities {
    private GameEntities() {
    }

    /** A pooled game entity. */
    static final class Entity {
        float x;
        float y;
        float vx;
        float vy;
        int health;

        void reset() {
            x = y = vx = vy = 0;
            health = 0;
        }
    }

    /**
     * What the game loop did.
     *
     * @param frames          frames simulated
     * @param spawned         entities spawned
     * @param peakLive        most entities alive at once
     * @param capacityAtPeak  the pool's largest capacity (reached in the big wave)
     * @param trimmed         objects given back by {@code trim()} once the waves were over
     * @param capacityAtEnd   the pool's capacity after trimming
     * @param inUseAtEnd      handles still out at the end (0 expected)
     */
    public record Result(int frames, long spawned, int peakLive, int capacityAtPeak, int trimmed,
                         int capacityAtEnd, int inUseAtEnd) {
    }

    /**
     * Runs the example.
     *
     * @return what the game loop did
     */
    public static Result run() {
        PoolConfig<Entity> config = PoolConfig.<Entity>builder()
                .name("enemies")
                .capacity(64)
                .maxCapacity(4096)
                .growthStrategy(GrowthStrategy.linear(64))
                .allocationStrategy(AllocationStrategy.BITMAP)
                .factory(Entity::new)
                .reset(Entity::reset)
                .build();
        SplittableRandom random = new SplittableRandom(7);
        List<Handle<Entity>> live = new ArrayList<>();
        long spawned = 0;
        int peak = 0;
        int capacityAtPeak = 0;
        int frames = 600;
        try (GrowingPool<Entity> pool = GrowingPool.create(config)) {
            for (int frame = 0; frame < frames; frame++) {
                int wave = frame == 100 ? 1000 : frame % 30 == 0 ? 40 : 0; // one big wave, small ones
                for (int i = 0; i < wave; i++) {
                    Handle<Entity> h = pool.allocate(); // grows by 64 when all are out
                    Entity e = h.get();
                    e.x = random.nextInt(800);
                    e.y = random.nextInt(600);
                    e.vx = random.nextInt(5) - 2;
                    e.vy = random.nextInt(5) - 2;
                    e.health = 1 + random.nextInt(100);
                    live.add(h);
                    spawned++;
                }
                peak = Math.max(peak, live.size());
                for (int i = live.size() - 1; i >= 0; i--) { // move, take damage, die
                    Entity e = live.get(i).get();
                    e.x += e.vx;
                    e.y += e.vy;
                    e.health -= 1 + random.nextInt(3);
                    if (e.health <= 0) {
                        Handle<Entity> dead = live.get(i);
                        live.set(i, live.get(live.size() - 1));
                        live.remove(live.size() - 1);
                        dead.close(); // reset and back in the pool
                    }
                }
                capacityAtPeak = Math.max(capacityAtPeak, pool.capacity());
            }
            live.forEach(Handle::close);
            live.clear();
            int trimmed = pool.trim();
            return new Result(frames, spawned, peak, capacityAtPeak, trimmed, pool.capacity(), pool.inUse());
        }
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        Result r = run();
        System.out.println("GameEntities");
        System.out.printf("  %d frames, %d enemies spawned, at most %d alive at once%n", r.frames(), r.spawned(),
                r.peakLive());
        System.out.printf("  pool grew from 64 to %d objects for the big wave%n", r.capacityAtPeak());
        System.out.printf("  trim() after the waves gave back %d, capacity now %d, in use %d%n",
                r.trimmed(), r.capacityAtEnd(), r.inUseAtEnd());
    }
}
