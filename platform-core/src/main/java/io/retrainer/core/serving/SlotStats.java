package io.retrainer.core.serving;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests, errors and a latency histogram of one slot since it went live or was last reset,
 * for the rollout gates. Lock-free: one array increment per request.
 */
public final class SlotStats {
    // Log-spaced latency buckets from 10 us to ~100 s: bucket i holds latencies below BOUNDS[i] ns.
    private static final long[] BOUNDS = bounds();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLongArray latency = new AtomicLongArray(BOUNDS.length + 1);

    private static long[] bounds() {
        long[] b = new long[64];
        double v = 10_000;
        for (int i = 0; i < b.length; i++) {
            b[i] = (long) v;
            v *= 1.3;
        }
        return b;
    }

    /** Records an answered request. */
    public void success(long nanos) {
        requests.increment();
        int i = Arrays.binarySearch(BOUNDS, nanos);
        latency.incrementAndGet(i >= 0 ? i + 1 : -i - 1);
    }

    /** Records a failed request (the model threw). */
    public void error() {
        requests.increment();
        errors.increment();
    }

    /** Requests seen. */
    public long requests() {
        return requests.sum();
    }

    /** Fraction of requests that failed; 0 with no requests. */
    public double errorRate() {
        long n = requests.sum();
        return n == 0 ? 0 : (double) errors.sum() / n;
    }

    /** The 99th percentile latency in milliseconds (upper bucket bound); 0 with no requests. */
    public double p99Millis() {
        long total = 0;
        for (int i = 0; i < latency.length(); i++) {
            total += latency.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * 0.99);
        long seen = 0;
        for (int i = 0; i < latency.length(); i++) {
            seen += latency.get(i);
            if (seen >= rank) {
                return (i < BOUNDS.length ? BOUNDS[i] : BOUNDS[BOUNDS.length - 1] * 2) / 1e6;
            }
        }
        return BOUNDS[BOUNDS.length - 1] / 1e6;
    }
}
