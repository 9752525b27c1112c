package io.fastalloc.lockfree.internal;

/** The padding before a {@link Magazine}'s fields ({@link MagazineFields}); see {@link Magazine}. */
@SuppressWarnings("unused")
abstract class MagazinePadBefore {
    private long p01, p02, p03, p04, p05, p06, p07, p08;
    private long p09, p10, p11, p12, p13, p14, p15, p16;
}
