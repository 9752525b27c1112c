package io.fastalloc.stats;

import io.fastalloc.Pool;
import io.fastalloc.testkit.ExportedApi;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing internal in the statistics API: no public or protected signature, superclass or interface
 * of {@code io.fastalloc.stats} names a package of core that is not exported to everyone.
 */
class ExportedApiTest {

    @Test
    void shouldNameNoInternalTypeInAnyExportedSignatureOfStats() {
        List<Class<?>> types = ExportedApi.publicTypesOf(StatsRegistry.class);
        assertTrue(types.contains(StatsRegistry.class), types::toString);
        assertEquals(List.of(), ExportedApi.of(Pool.class, StatsRegistry.class).violations(types));
    }
}
