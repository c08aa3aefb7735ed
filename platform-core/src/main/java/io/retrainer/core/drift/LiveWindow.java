package io.retrainer.core.drift;

import io.retrainer.api.Dataset;
import io.retrainer.api.Prediction;
import io.retrainer.api.Schema;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Live bin counts of one model version at one endpoint, in time buckets. Every feature's slots
 * (as laid out by its {@link FeatureProfile}) sit side by side in one counter array per bucket.
 *
 * <p>Two rings: one-minute buckets answer windows up to an hour, one-hour buckets windows up to a
 * day. A window is rounded up to whole minutes (whole clock hours beyond an hour) and the current,
 * partial bucket is added, so "the last W" always covers at least W: a 1-minute window holds
 * between 60 and 120 seconds of rows, never the few seconds since the minute turned.
 * Every value is counted in both; a single minute ring covering a day would hold 1,440 arrays
 * of (features × ~100 bins) longs, over 100 MB at 100 features. Small requests increment the
 * shared atomic counters directly; larger batches are tallied in a per-thread array first and
 * added once per touched slot. Buckets are created on first use in their minute or hour and reused when the ring
 * comes round; a batch racing that reset may lose its counts, which the statistics tolerate.
 *
 * <p>{@link #add} is called on serving threads: it allocates nothing except a new bucket once
 * per minute and hour (and one tally array per serving thread).
 */
final class LiveWindow {
    /** Minute buckets: an hour plus the current, partial minute. */
    static final int MINUTES = 61;
    /** Hour buckets: a day plus the current, partial hour. */
    static final int HOURS = 25;
    /** Batches of at least this many rows are tallied locally before touching the shared counters. */
    static final int LOCAL_TALLY_ROWS = 16;
    /** The longest window answered. */
    static final Duration LONGEST = Duration.ofHours(HOURS - 1);

    private record Bucket(long stamp, AtomicLongArray counts) {
    }

    /** Which input column each profiled feature is in, for one input schema (-1: absent). */
    private record Columns(Schema schema, int[] index) {
    }

    final ReferenceProfile profile;
    private final FeatureProfile[] features;
    private final int[] offsets;
    private final int predictionOffset;
    private final int slots;
    /** Per categorical feature: category to slot (frequent ones to their own slot, other known ones to "other"). */
    private final Map<String, Integer>[] categorySlots;
    private final Map<String, Integer> predictionSlots;
    private final AtomicReferenceArray<Bucket> minutes = new AtomicReferenceArray<>(MINUTES);
    private final AtomicReferenceArray<Bucket> hours = new AtomicReferenceArray<>(HOURS);
    private volatile Columns columns;
    /** Per serving thread, a zeroed tally the size of a bucket (reused: no allocation per request). */
    private final ThreadLocal<long[]> scratch;
    private volatile long lastUsedMillis;

    @SuppressWarnings("unchecked")
    LiveWindow(ReferenceProfile profile, long nowMillis) {
        this.profile = profile;
        this.features = profile.features().toArray(new FeatureProfile[0]);
        this.offsets = new int[features.length];
        this.categorySlots = new Map[features.length];
        int at = 0;
        for (int f = 0; f < features.length; f++) {
            offsets[f] = at;
            at += features[f].slots();
            if (!features[f].numeric()) {
                categorySlots[f] = slotsOf(features[f]);
            }
        }
        this.predictionOffset = at;
        FeatureProfile p = profile.prediction();
        this.predictionSlots = p != null && !p.numeric() ? slotsOf(p) : null;
        this.slots = at + (p == null ? 0 : p.slots());
        this.lastUsedMillis = nowMillis;
        int size = slots;
        this.scratch = ThreadLocal.withInitial(() -> new long[size]);
    }

    private static Map<String, Integer> slotsOf(FeatureProfile f) {
        Map<String, Integer> m = new HashMap<>();
        Integer other = f.otherSlot();
        for (String o : f.otherCategories()) {
            m.put(o, other);
        }
        for (int i = 0; i < f.categories().size(); i++) {
            m.put(f.categories().get(i), i);
        }
        return m;
    }

    /** Counts one batch's rows and outputs into the current minute and hour. */
    void add(Dataset inputs, List<Prediction> outputs, long nowMillis) {
        long minute = Math.floorDiv(nowMillis, 60_000L);
        AtomicLongArray m = bucket(minutes, minute);
        AtomicLongArray h = bucket(hours, Math.floorDiv(minute, 60));
        if (m == null || h == null) {
            return;
        }
        lastUsedMillis = nowMillis;
        if (inputs.rowCount() < LOCAL_TALLY_ROWS) {
            addDirect(inputs, outputs, m, h);
            return;
        }
        // Larger batches are tallied in a per-thread array first, then added slot by slot: one
        // pair of atomic adds per touched slot instead of per value.
        long[] tally = scratch.get();
        addTo(inputs, outputs, tally);
        for (int i = 0; i < tally.length; i++) {
            long n = tally[i];
            if (n != 0) {
                m.addAndGet(i, n);
                h.addAndGet(i, n);
                tally[i] = 0;
            }
        }
    }

    /** Small batches (one-row requests, the common case): straight into the buckets. */
    private void addDirect(Dataset inputs, List<Prediction> outputs, AtomicLongArray m, AtomicLongArray h) {
        int[] cols = columnsOf(inputs.schema());
        int rows = inputs.rowCount();
        for (int f = 0; f < features.length; f++) {
            for (int r = 0; r < rows; r++) {
                int slot = offsets[f] + slotOf(f, cols[f], inputs, r);
                m.incrementAndGet(slot);
                h.incrementAndGet(slot);
            }
        }
        FeatureProfile p = profile.prediction();
        if (p != null) {
            for (int i = 0, n = outputs.size(); i < n; i++) {
                int slot = predictionOffset + outputSlot(p, outputs.get(i));
                m.incrementAndGet(slot);
                h.incrementAndGet(slot);
            }
        }
    }

    /** Adds the batch's counts to {@code tally}. */
    private void addTo(Dataset inputs, List<Prediction> outputs, long[] tally) {
        int[] cols = columnsOf(inputs.schema());
        int rows = inputs.rowCount();
        for (int f = 0; f < features.length; f++) {
            FeatureProfile fp = features[f];
            int base = offsets[f];
            int c = cols[f];
            if (c < 0) {
                tally[base + fp.missingSlot()] += rows;
            } else if (fp.numeric()) {
                double[] edges = fp.edges();
                int missing = base + fp.missingSlot();
                for (int r = 0; r < rows; r++) {
                    double v = inputs.number(c, r);
                    tally[Double.isNaN(v) ? missing : base + DriftMath.bin(edges, v)]++;
                }
            } else {
                Map<String, Integer> index = categorySlots[f];
                for (int r = 0; r < rows; r++) {
                    tally[base + categorySlot(fp, index, inputs.string(c, r))]++;
                }
            }
        }
        FeatureProfile p = profile.prediction();
        if (p != null) {
            for (int i = 0, n = outputs.size(); i < n; i++) {
                tally[predictionOffset + outputSlot(p, outputs.get(i))]++;
            }
        }
    }

    /** Feature {@code f}'s slot for row {@code r}, its value in column {@code c} (-1: the request lacks the column). */
    private int slotOf(int f, int c, Dataset inputs, int r) {
        FeatureProfile fp = features[f];
        if (c < 0) {
            return fp.missingSlot(); // the column is not in this request's schema
        }
        if (fp.numeric()) {
            double v = inputs.number(c, r);
            return Double.isNaN(v) ? fp.missingSlot() : DriftMath.bin(fp.edges(), v);
        }
        return categorySlot(fp, categorySlots[f], inputs.string(c, r));
    }

    private int outputSlot(FeatureProfile p, Prediction out) {
        if (p.numeric()) {
            double v = out.value();
            return Double.isNaN(v) ? p.missingSlot() : DriftMath.bin(p.edges(), v);
        }
        return categorySlot(p, predictionSlots, out.label());
    }

    private static int categorySlot(FeatureProfile fp, Map<String, Integer> index, String value) {
        if (value == null) {
            return fp.missingSlot();
        }
        Integer known = index.get(value);
        if (known != null) {
            return known;
        }
        // Past the cap of remembered categories an unknown value may still have been seen in training.
        return fp.otherCategories().size() >= ProfileBuilder.MAX_KNOWN_CATEGORIES ? fp.otherSlot() : fp.unseenSlot();
    }

    private int[] columnsOf(Schema schema) {
        Columns known = columns;
        if (known != null && (known.schema == schema || known.schema.equals(schema))) {
            return known.index;
        }
        int[] index = new int[features.length];
        for (int f = 0; f < features.length; f++) {
            index[f] = schema.indexOf(features[f].name());
        }
        columns = new Columns(schema, index);
        return index;
    }

    private AtomicLongArray bucket(AtomicReferenceArray<Bucket> ring, long stamp) {
        int i = (int) Math.floorMod(stamp, (long) ring.length());
        while (true) {
            Bucket b = ring.get(i);
            if (b != null && b.stamp == stamp) {
                return b.counts;
            }
            if (b != null && b.stamp > stamp) {
                return null; // the clock went back past a newer bucket: drop rather than corrupt it
            }
            Bucket fresh = new Bucket(stamp, new AtomicLongArray(slots));
            if (ring.compareAndSet(i, b, fresh)) {
                return fresh.counts;
            }
        }
    }

    /**
     * Sums the buckets covering the last {@code window} (at least one minute, at most
     * {@link #LONGEST}): whole minutes up to an hour, whole clock hours beyond, each plus the
     * current, partial bucket.
     */
    long[] sum(Duration window, long nowMillis) {
        long[] out = new long[slots];
        long minute = Math.floorDiv(nowMillis, 60_000L);
        long wantMinutes = Math.max(1, (window.toMillis() + 59_999) / 60_000);
        AtomicReferenceArray<Bucket> ring;
        long last;
        long count;
        if (wantMinutes < MINUTES) {
            ring = minutes;
            last = minute;
            count = wantMinutes + 1;
        } else {
            ring = hours;
            last = Math.floorDiv(minute, 60);
            count = Math.min(HOURS, (wantMinutes + 59) / 60 + 1);
        }
        for (long s = last - count + 1; s <= last; s++) {
            Bucket b = ring.get((int) Math.floorMod(s, (long) ring.length()));
            if (b != null && b.stamp == s) {
                for (int i = 0; i < slots; i++) {
                    out[i] += b.counts.get(i);
                }
            }
        }
        return out;
    }

    /** Where feature {@code f}'s slots start in a {@link #sum} array. */
    int offset(int f) {
        return offsets[f];
    }

    /** Where the output's slots start in a {@link #sum} array. */
    int predictionOffset() {
        return predictionOffset;
    }

    /** When rows were last counted. */
    long lastUsedMillis() {
        return lastUsedMillis;
    }
}
