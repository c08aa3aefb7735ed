package io.retrainer.plugins.tribuo;

import io.retrainer.api.Column;
import io.retrainer.api.ColumnType;
import io.retrainer.api.Dataset;
import io.retrainer.api.StageContext;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;

/** The checks every Tribuo trainer makes, with messages that name the plugin and what is wrong. */
public final class TrainingChecks {
    private TrainingChecks() {
    }

    /**
     * The training data's label column.
     *
     * @throws IllegalArgumentException if the data has none
     */
    public static Column labelColumn(Dataset training, String plugin) {
        String name = training.schema().label();
        if (name == null) {
            throw new IllegalArgumentException(plugin + " needs a label column; the training data has none");
        }
        return training.schema().column(name).orElseThrow();
    }

    /**
     * The index of the label column, which must be of {@code type}.
     *
     * @throws IllegalArgumentException if there is no label or it has another type; a numeric label
     *     for a classifier, or a categorical one for a regression, is pointed to the other kind of trainer
     */
    public static int requireLabel(Dataset training, String plugin, ColumnType type) {
        Column label = labelColumn(training, plugin);
        if (label.type() != type) {
            String hint = type == ColumnType.CATEGORICAL && label.type() == ColumnType.NUMERIC ? " — use a regression trainer"
                    : type == ColumnType.NUMERIC && label.type() == ColumnType.CATEGORICAL ? " — use a classification trainer"
                    : "";
            throw new IllegalArgumentException(plugin + " needs a " + lower(type) + " label; '" + label.name() + "' is "
                    + lower(label.type()) + hint);
        }
        return training.labelIndex();
    }

    /**
     * @param rows the labelled rows
     * @throws IllegalArgumentException if the label has fewer than two distinct values in {@code rows}
     */
    public static void requireTwoClasses(Dataset training, int label, int[] rows, String plugin) {
        TreeSet<String> classes = new TreeSet<>();
        for (int r : rows) {
            classes.add(training.string(label, r));
            if (classes.size() > 1) {
                return;
            }
        }
        throw new IllegalArgumentException(plugin + " needs at least two classes to tell apart; label '"
                + training.schema().label() + "' has " + (classes.isEmpty() ? "no values" : "only " + classes));
    }

    /**
     * A check of a setting.
     *
     * @throws IllegalArgumentException {@code "<plugin>: <problem>"} unless {@code ok}
     */
    public static void require(boolean ok, String plugin, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(plugin + ": " + problem);
        }
    }

    /** @throws CancellationException if the run was cancelled */
    public static void checkCancelled(StageContext context, String plugin) {
        if (context.isCancelled()) {
            throw new CancellationException(plugin + ": training was cancelled");
        }
    }

    static String lower(ColumnType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
