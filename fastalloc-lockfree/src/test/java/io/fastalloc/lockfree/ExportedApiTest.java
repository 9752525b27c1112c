package io.fastalloc.lockfree;

import io.fastalloc.Pool;
import io.fastalloc.testkit.ExportedApi;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing internal in the lock-free API: no public or protected signature, superclass or interface
 * of {@code io.fastalloc.lockfree} names core's or this module's internal packages, or a JCTools type.
 */
class ExportedApiTest {

    @Test
    void shouldNameNoInternalTypeInAnyExportedSignatureOfLockfree() {
        List<Class<?>> types = ExportedApi.publicTypesOf(MpmcPool.class);
        assertTrue(types.containsAll(List.of(MpmcPool.class, SpscPool.class, MpscPool.class, SpmcPool.class,
                CachingPool.class)), types::toString);
        assertEquals(List.of(), ExportedApi.of(Pool.class, MpmcPool.class).violations(types));
    }
}
