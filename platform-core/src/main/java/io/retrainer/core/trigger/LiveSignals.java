package io.retrainer.core.trigger;

import io.retrainer.core.drift.DriftMonitor;
import io.retrainer.core.drift.FeatureDrift;
import io.retrainer.core.monitoring.LiveQuality;
import io.retrainer.core.monitoring.QualityReading;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What performance and drift triggers read about an endpoint: live quality on fed-back labels, and
 * per-feature input drift. An interface of its own so trigger tests can feed chosen readings.
 */
public interface LiveSignals {
    /** No signals: performance and drift triggers see nothing and never fire. */
    LiveSignals NONE = new LiveSignals() {
        @Override
        public Future<Optional<QualityReading>> quality(String endpoint, String metric, Duration window) {
            return Future.succeededFuture(Optional.empty());
        }

        @Override
        public List<FeatureDrift> drift(String endpoint, Duration window) {
            return List.of();
        }
    };

    /** {@code metric} over the labelled predictions at {@code endpoint} in the last {@code window}. */
    Future<Optional<QualityReading>> quality(String endpoint, String metric, Duration window);

    /** Per-feature drift at {@code endpoint} over the last {@code window}; may be called on a worker thread only. */
    List<FeatureDrift> drift(String endpoint, Duration window);

    /** The platform's monitoring services as signals; a {@code null} drift monitor reports no drift figures. */
    static LiveSignals of(LiveQuality quality, DriftMonitor drift) {
        return new LiveSignals() {
            @Override
            public Future<Optional<QualityReading>> quality(String endpoint, String metric, Duration window) {
                return quality.read(endpoint, metric, window);
            }

            @Override
            public List<FeatureDrift> drift(String endpoint, Duration window) {
                return drift == null ? List.of() : drift.drift(endpoint, window);
            }
        };
    }
}
