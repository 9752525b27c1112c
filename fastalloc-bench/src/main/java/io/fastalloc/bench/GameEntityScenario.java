package io.fastalloc.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Game entity spawning: every frame spawns {@value World#ENTITIES} entities (position, velocity,
 * health, kind), runs {@value World#TICKS} physics and damage ticks over them, sums what a renderer
 * would read, and destroys them all. One operation is one frame. Pooled (a {@link PoolKind}) against
 * plain {@code new}, with each benchmark thread running its own world.
 *
 * <p>Read the time beside {@code -prof gc}'s allocation rate and GC count and time: the JVM's TLAB
 * allocation is cheap, and where {@code new} is as fast per frame, the pool's case rests on GC and
 * tail latency (no garbage means no young collections to pause the frame), not on the average.
 *
 * <p>{@link Mode#SampleTime} times every operation (they take milliseconds, so the timer's own cost
 * does not count): the score is their mean (JMH's interval for it is taken over the samples, so it is
 * narrower than average-time mode's over iterations), and the distribution gives the tail (p99, p99.9,
 * the longest), where a collection's pause shows.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class GameEntityScenario {

    /** A game entity. */
    public static final class Entity {
        long id;
        int kind;
        int health;
        double x;
        double y;
        double vx;
        double vy;
    }

    /** One thread's game world: the entity source and the random stream. */
    public static final class World {
        /** Entities spawned and destroyed per frame. */
        public static final int ENTITIES = 10_000;
        /** Ticks per frame. */
        public static final int TICKS = 3;

        private final ObjectSource<Entity> entities;
        private long seed = 0x9E3779B97F4A7C15L;
        private long nextId;

        /**
         * @param contender {@value ObjectSource#NEW} or a {@link PoolKind} name
         */
        public World(String contender) {
            this.entities = ObjectSource.create(contender, Entity.class, ENTITIES, Entity::new);
        }

        private int nextInt(int bound) {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            return (int) ((seed >>> 33) % bound);
        }

        /** @return a checksum of what the frame computed */
        public long frame() {
            Entity[] live = entities.items;
            for (int i = 0; i < ENTITIES; i++) {
                entities.acquire(i);
                Entity e = live[i];
                e.id = nextId++;
                e.kind = nextInt(4);
                e.health = 50 + nextInt(50);
                e.x = nextInt(1000);
                e.y = nextInt(1000);
                e.vx = nextInt(21) - 10;
                e.vy = nextInt(21) - 10;
            }
            for (int t = 0; t < TICKS; t++) {
                for (int i = 0; i < ENTITIES; i++) {
                    Entity e = live[i];
                    e.x += e.vx * 0.016;
                    e.y += e.vy * 0.016;
                    e.vy -= 9.81 * 0.016;
                    if (e.y < 0) {
                        e.y = 0;
                        e.vy = -e.vy * 0.5;
                        e.health -= 1 + e.kind;
                    }
                }
            }
            long sum = 0;
            for (int i = 0; i < ENTITIES; i++) {
                Entity e = live[i];
                sum += (long) (e.x * 16) + (long) (e.y * 16) + e.health + e.id;
            }
            // destroy in two interleaved passes, as game code rarely frees in allocation order
            for (int i = 1; i < ENTITIES; i += 2) {
                entities.release(i);
            }
            for (int i = 0; i < ENTITIES; i += 2) {
                entities.release(i);
            }
            return sum;
        }
    }

    /** One thread's world. */
    @State(Scope.Thread)
    public static class WorldState {
        /** Pooled ({@link PoolKind} name) or plain {@code new}. */
        @Param({"newObject", "fixedPool"})
        public String contender;

        World world;

        /** Makes the world. */
        @Setup(Level.Trial)
        public void setUp() {
            world = new World(contender);
        }
    }

    /**
     * @param s this thread's world
     * @return the frame's checksum
     */
    @Benchmark
    public long frame(WorldState s) {
        return s.world.frame();
    }
}
