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
 * A particle system: every frame emits {@value Emitter#PER_FRAME} particles with a life of one to
 * {@value Emitter#MAX_LIFE} frames, integrates every live particle (position, velocity, gravity,
 * fade) and frees those whose life ran out, so about 125,000 particles are live at once and
 * particles outlive the frame that made them (with {@code new}, they survive young collections).
 * One operation is one frame. Pooled (a {@link PoolKind}) against plain {@code new}, with each
 * benchmark thread running its own emitter.
 *
 * <p>Read the time beside {@code -prof gc}'s allocation rate and GC count and time: the JVM's TLAB
 * allocation is cheap, and where {@code new} is as fast per frame, the pool's case rests on GC and
 * tail latency, not on the average.
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
public class ParticleScenario {

    /** A particle. */
    public static final class Particle {
        float x;
        float y;
        float z;
        float vx;
        float vy;
        float vz;
        float alpha;
        int life;
        int color;
    }

    /** One thread's particle emitter and its live particles. */
    public static final class Emitter {
        /** Particles emitted per frame. */
        public static final int PER_FRAME = 50_000;
        /** The longest life, in frames. */
        public static final int MAX_LIFE = 4;

        private final ObjectSource<Particle> particles;
        private int live;
        private int seed = 0x2545F491;

        /**
         * @param contender {@value ObjectSource#NEW} or a {@link PoolKind} name
         */
        public Emitter(String contender) {
            this.particles = ObjectSource.create(contender, Particle.class, PER_FRAME * MAX_LIFE, Particle::new);
        }

        private int nextInt(int bound) {
            seed ^= seed << 13;
            seed ^= seed >>> 17;
            seed ^= seed << 5;
            return (seed >>> 1) % bound;
        }

        /** @return how many particles are live now */
        public int live() {
            return live;
        }

        /** @return a checksum of the live particles after the frame */
        public long frame() {
            Particle[] ps = particles.items;
            float dt = 0.016f;
            int i = 0;
            while (i < live) {
                Particle p = ps[i];
                p.vy -= 9.81f * dt;
                p.x += p.vx * dt;
                p.y += p.vy * dt;
                p.z += p.vz * dt;
                p.alpha *= 0.9f;
                if (--p.life == 0) {
                    particles.release(i);
                    live--;
                    if (i != live) {
                        particles.move(live, i);
                    }
                } else {
                    i++;
                }
            }
            for (int n = 0; n < PER_FRAME; n++) {
                particles.acquire(live);
                Particle p = ps[live++];
                p.x = 0;
                p.y = 0;
                p.z = 0;
                p.vx = nextInt(200) / 10f - 10f;
                p.vy = nextInt(300) / 10f;
                p.vz = nextInt(200) / 10f - 10f;
                p.alpha = 1f;
                p.life = 1 + nextInt(MAX_LIFE);
                p.color = nextInt(0xFFFFFF);
            }
            long sum = live;
            for (int n = 0; n < live; n += 7) {
                Particle p = ps[n];
                sum += Float.floatToIntBits(p.x + p.y + p.z + p.alpha) + p.color;
            }
            return sum;
        }
    }

    /** One thread's emitter. */
    @State(Scope.Thread)
    public static class EmitterState {
        /** Pooled ({@link PoolKind} name) or plain {@code new}. */
        @Param({"newObject", "fixedPool"})
        public String contender;

        Emitter emitter;

        /** Makes the emitter. */
        @Setup(Level.Trial)
        public void setUp() {
            emitter = new Emitter(contender);
        }
    }

    /**
     * @param s this thread's emitter
     * @return the frame's checksum
     */
    @Benchmark
    public long frame(EmitterState s) {
        return s.emitter.frame();
    }
}
