package io.fastalloc.lockfree.internal;

import io.fastalloc.internal.Slot;
import org.jctools.queues.MessagePassingQueue;

/**
 * The padding after a {@link Magazine}'s fields ({@link MagazineFields}); see {@link Magazine}.
 *
 * @param <T> the type of pooled object
 */
@SuppressWarnings("unused")
abstract class MagazinePadAfter<T> extends MagazineFields<T> {
    private long q01, q02, q03, q04, q05, q06, q07, q08;
    private long q09, q10, q11, q12, q13, q14, q15, q16;

    MagazinePadAfter(int magazineSize, MessagePassingQueue<Slot<T>> depot) {
        super(magazineSize, depot);
    }
}
