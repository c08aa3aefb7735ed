package io.retrainer.core.pipeline;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.SettingType;
import java.util.List;

/** The settings of the host's own stages, declared like a plugin's so they validate the same way. */
public final class BuiltinStages {
    /** Settings of {@code validate}. */
    public static final ConfigSpec VALIDATE = ConfigSpec.builder()
            .optional("max_missing_fraction", SettingType.NUMBER, 0.2, "Fail if any column has a larger fraction of missing values")
            .optional("min_rows", SettingType.INTEGER, 20, "Fail with fewer rows than this")
            .optional("max_classes", SettingType.INTEGER, 100, "Fail if a categorical label has more classes than this")
            .optional("check_schema", SettingType.BOOLEAN, true, "Compare columns with the production model's training schema")
            .build();

    /** Settings of {@code split}. */
    public static final ConfigSpec SPLIT = ConfigSpec.builder()
            .choice("strategy", "holdout", List.of("holdout", "time"), "holdout: seeded random (stratified for classification); time: newest rows held out")
            .optional("test_fraction", SettingType.NUMBER, 0.2, "Fraction of rows held out for evaluation")
            .optional("seed", SettingType.INTEGER, null, "Seed for the holdout split (default: the pipeline seed)")
            .optional("time_column", SettingType.STRING, null, "Timestamp column ordering rows for the time strategy")
            .build();

    private BuiltinStages() {
    }
}
