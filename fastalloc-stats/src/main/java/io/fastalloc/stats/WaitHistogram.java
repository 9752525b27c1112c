package io.fastalloc.stats;

/**
 * The fixed buckets that wait times are counted in, so that their percentiles can be read in this
 * process and from another one (as Agrona counters) without a histogram object per read.
 *
 * <p>Bucket {@code i < }{@value #OVERFLOW} counts waits of at most {@code 2^(i + 10)} ns and more than
 * half that (bucket 0: at most 1,024 ns); bucket {@value #OVERFLOW} counts waits over
 * {@code 2^36} ns (about 69 s). A percentile is reported as the upper bound of its bucket, capped at
 * the longest wait seen, so it is at most twice the true value and never below it; the longest wait
 * is kept exactly in a counter of its own.
 *
 * <p>Each pool gets {@value #COUNTERS} counters: the buckets, type id {@value #BUCKET_TYPE_ID},
 * labelled {@code fastalloc <pool> <kind> wait-le-<bound>ns} ({@code wait-gt-68719476736ns} for the
 * last), then the longest wait, type id {@value #MAX_TYPE_ID}, labelled
 * {@code fastalloc <pool> <kind> wait-max-ns}.
 */
final class WaitHistogram {
    /** log2 of the first bucket's upper bound. */
    static final int FIRST_SHIFT = 10;
    /** The index of the last bucket: waits over {@code 2^(FIRST_SHIFT + OVERFLOW - 1)} ns. */
    static final int OVERFLOW = 27;
    /** Buckets per pool. */
    static final int BUCKETS = OVERFLOW + 1;
    /** Counters per pool: the buckets and the longest wait. */
    static final int COUNTERS = BUCKETS + 1;
    /** The type id of a bucket's counter. */
    static final int BUCKET_TYPE_ID = 40_011;
    /** The type id of the longest wait's counter. */
    static final int MAX_TYPE_ID = 40_012;
    /** The label suffix of the longest wait's counter. */
    static final String MAX_LABEL = "wait-max-ns";

    private WaitHistogram() {
    }

    /**
     * @param waitedNanos a wait, {@code >= 0}
     * @return its bucket
     */
    static int bucket(long waitedNanos) {
        if (waitedNanos <= (1L << FIRST_SHIFT)) {
            return 0;
        }
        int log2Ceil = 64 - Long.numberOfLeadingZeros(waitedNanos - 1);
        return Math.min(log2Ceil - FIRST_SHIFT, OVERFLOW);
    }

    /**
     * @param bucket a bucket below {@link #OVERFLOW}
     * @return the longest wait it counts, in nanoseconds
     */
    static long upperBound(int bucket) {
        return 1L << (FIRST_SHIFT + bucket);
    }

    /**
     * @param bucket a bucket
     * @return the last word of its counter's label
     */
    static String label(int bucket) {
        return bucket == OVERFLOW ? "wait-gt-" + upperBound(OVERFLOW - 1) + "ns"
                : "wait-le-" + upperBound(bucket) + "ns";
    }

    /**
     * The bucket a label's last word names.
     *
     * @param word the last word of a counter's label
     * @return the bucket, or -1 when the word names none
     */
    static int bucketOf(String word) {
        for (int b = 0; b < BUCKETS; b++) {
            if (label(b).equals(word)) {
                return b;
            }
        }
        return -1;
    }

    /**
     * A percentile of the waits counted in {@code counts}.
     *
     * @param counts     the waits per bucket
     * @param fraction   which percentile, in (0, 1]: 0.5, 0.99, 0.999
     * @param longest    the longest wait seen
     * @return the upper bound of the bucket that holds it, at most {@code longest}; 0 with no waits
     */
    static long percentile(long[] counts, double fraction, long longest) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int b = 0; b < OVERFLOW; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return Math.min(upperBound(b), longest);
            }
        }
        return longest;
    }
}
