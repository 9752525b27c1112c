package io.fastalloc.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each scenario computes the same results pooled as with plain {@code new}, frame after frame. */
class ScenarioTest {

    /** @return every pool kind, from the registry */
    static List<PoolKind> kinds() {
        return PoolKind.all();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void gameEntitiesShouldComputeTheSameFramesPooledAsWithNew(PoolKind kind) {
        GameEntityScenario.World fresh = new GameEntityScenario.World(ObjectSource.NEW);
        GameEntityScenario.World pooled = new GameEntityScenario.World(kind.paramName());
        for (int frame = 0; frame < 5; frame++) {
            assertEquals(fresh.frame(), pooled.frame(), "frame " + frame);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void particlesShouldComputeTheSameFramesPooledAsWithNew(PoolKind kind) {
        ParticleScenario.Emitter fresh = new ParticleScenario.Emitter(ObjectSource.NEW);
        ParticleScenario.Emitter pooled = new ParticleScenario.Emitter(kind.paramName());
        for (int frame = 0; frame < 8; frame++) {
            assertEquals(fresh.frame(), pooled.frame(), "frame " + frame);
            assertEquals(fresh.live(), pooled.live());
        }
        assertTrue(fresh.live() > ParticleScenario.Emitter.PER_FRAME, "particles outlive their frame");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void requestsShouldGetTheSameAnswersPooledAsWithNew(PoolKind kind) {
        RequestHandlingScenario.Server fresh = new RequestHandlingScenario.Server(ObjectSource.NEW);
        RequestHandlingScenario.Server pooled = new RequestHandlingScenario.Server(kind.paramName());
        for (int round = 0; round < 2; round++) {
            assertEquals(fresh.serve(), pooled.serve(), "round " + round);
        }
    }
}
