package io.retrainer.plugins.championgate;

import java.util.List;
import java.util.Locale;

/** Whether a bigger or a smaller value of a metric is better. */
enum Direction {
    HIGHER,
    LOWER;

    /** Name fragments of metrics that measure an error, where lower is better. */
    private static final List<String> ERROR_WORDS = List.of("loss", "error", "mae", "rmse", "mse", "mape");

    /**
     * Resolves the {@code direction} setting.
     *
     * @param setting {@code auto}, {@code higher} or {@code lower}
     * @param metric the metric name, looked at only for {@code auto}
     */
    static Direction resolve(String setting, String metric) {
        return switch (setting) {
            case "higher" -> HIGHER;
            case "lower" -> LOWER;
            default -> {
                String name = metric.toLowerCase(Locale.ROOT);
                yield ERROR_WORDS.stream().anyMatch(name::contains) ? LOWER : HIGHER;
            }
        };
    }
}
