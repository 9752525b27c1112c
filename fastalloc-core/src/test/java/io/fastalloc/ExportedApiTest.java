package io.fastalloc;

import io.fastalloc.apicheck.LeakyKind;
import io.fastalloc.testkit.ExportedApi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing internal in core's API: no public or protected signature, superclass or interface of a
 * type in an exported package names a type of a package that is not exported to everyone.
 */
class ExportedApiTest {

    @Test
    void shouldNameNoInternalTypeInAnyExportedSignatureOfCore() {
        List<Class<?>> types = ExportedApi.publicTypesOf(Pool.class);
        assertTrue(types.containsAll(List.of(FixedPool.class, GrowingPool.class, ThreadLocalPool.class,
                ThreadSafePool.class, Pool.class, Handle.class, PoolConfig.class)), types::toString);
        ExportedApi api = ExportedApi.of(Pool.class);
        assertEquals(Set.of("io.fastalloc"), api.apiPackages());
        assertEquals(List.of(), api.violations(types));
    }

    @Test
    void shouldCatchAPublicTypeThatExtendsOrNamesAnInternalOne() {
        ExportedApi api = ExportedApi.withApi(Set.of("io.fastalloc.apicheck"));
        List<String> found = api.violations(List.of(LeakyKind.class, LeakyKind.Clean.class));
        String internal = "io.fastalloc.apicheck.internal.LeakyEngine";
        assertEquals(new TreeSet<>(List.of(
                "io.fastalloc.apicheck.LeakyKind superclass names " + internal,
                "io.fastalloc.apicheck.LeakyKind.engine return names " + internal,
                "io.fastalloc.apicheck.LeakyKind.take parameter names " + internal,
                "io.fastalloc.apicheck.LeakyKind inherits public engineMethod from " + internal)),
                new TreeSet<>(found));
    }
}
