// Run: java -cp fastalloc-bench/target/benchmarks.jar io.fastalloc.examples.ParticleSystem
package io.fastalloc.examples;

import io.fastalloc.FixedPool;
import io.fastalloc.Handle;
import io.fastalloc.PoolConfig;

import java.util.SplittableRandom;

/**
 * A particle system with a hard budget: a {@link FixedPool} of particles, emitters that ask for
 * more than the budget allows, and {@code tryAllocate}, which answers {@code null} (no exception, no
 * garbage) when the budget is spent, so the emitter simply drops the particle. Live particles are
 * kept in a plain array of handles: the frame loop allocates nothing.
 */
public final class ParticleSystem {
    private ParticleSystem() {
    }

    /** A pooled particle. */
    static final class Particle {
        float x;
        float y;
        float vx;
        float vy;
        int life;

        void reset() {
            x = y = vx = vy = 0;
            life = 0;
        }
    }

    /**
     * What the simulation did.
     *
     * @param frames    frames simulated
     * @param budget    particles in the pool
     * @param emitted   particles that got an object
     * @param dropped   particles the emitters asked for while the budget was spent ({@code tryAllocate} returned null)
     * @param peakLive  most particles alive at once (never above the budget)
     * @param inUseAtEnd particles still out at the end (0 expected)
     */
    public record Result(int frames, int budget, long emitted, long dropped, int peakLive, int inUseAtEnd) {
    }

    /**
     * Runs the example.
     *
     * @return what the simulation did
     */
    public static Result run() {
        int budget = 2_000;
        int frames = 1_000;
        PoolConfig<Particle> config = PoolConfig.<Particle>builder()
                .name("particles")
                .capacity(budget)
                .factory(Particle::new)
                .reset(Particle::reset)
                .checked(false)          // unchecked: allocate + close allocate nothing
                .build();
        @SuppressWarnings("unchecked")
        Handle<Particle>[] live = new Handle[budget];
        int count = 0;
        long emitted = 0;
        long dropped = 0;
        int peak = 0;
        SplittableRandom random = new SplittableRandom(11);
        try (FixedPool<Particle> pool = FixedPool.create(config)) {
            for (int frame = 0; frame < frames; frame++) {
                int wanted = frame % 100 < 10 ? 400 : 20; // explosions, then a trickle
                for (int i = 0; i < wanted; i++) {
                    Handle<Particle> h = pool.tryAllocate();
                    if (h == null) {
                        dropped++;      // over budget: skip this particle
                        continue;
                    }
                    Particle p = h.get();
                    p.vx = (float) random.nextDouble(-1, 1);
                    p.vy = (float) random.nextDouble(-1, 1);
                    p.life = 20 + random.nextInt(60);
                    live[count++] = h;
                    emitted++;
                }
                peak = Math.max(peak, count);
                for (int i = count - 1; i >= 0; i--) {
                    Particle p = live[i].get();
                    p.x += p.vx;
                    p.y += p.vy;
                    p.vy -= 0.01f; // gravity
                    if (--p.life == 0) {
                        live[i].close();
                        live[i] = live[--count];
                        live[count] = null;
                    }
                }
            }
            for (int i = 0; i < count; i++) {
                live[i].close();
            }
            return new Result(frames, budget, emitted, dropped, peak, pool.inUse());
        }
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        Result r = run();
        System.out.println("ParticleSystem");
        System.out.printf("  %d frames, budget %d particles%n", r.frames(), r.budget());
        System.out.printf("  emitted %d, dropped %d over budget (tryAllocate returned null), at most %d alive%n",
                r.emitted(), r.dropped(), r.peakLive());
        System.out.printf("  particles still out: %d%n", r.inUseAtEnd());
    }
}
