package io.retrainer.core.pipeline;

import io.retrainer.api.ConfigSpec;
import io.retrainer.api.RetrainerExtension;
import io.retrainer.core.plugins.ExtensionKind;
import io.retrainer.core.plugins.LoadedExtension;
import io.retrainer.core.plugins.PluginHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a parsed definition against what is loaded: every stage names an extension of the
 * right kind, and every stage's settings (the built-in ones too) satisfy their {@link ConfigSpec}.
 */
public final class PipelineValidator {
    private final PluginHost plugins;

    /** Validates against the extensions {@code plugins} has loaded. */
    public PipelineValidator(PluginHost plugins) {
        this.plugins = plugins;
    }

    /** Parses and validates; the result carries every problem found. */
    public PipelineParser.Result check(String source, PipelineParser.Format format) {
        PipelineParser.Result parsed = PipelineParser.parse(source, format);
        if (!parsed.ok()) {
            return parsed;
        }
        List<String> problems = validate(parsed.definition());
        return problems.isEmpty() ? parsed : new PipelineParser.Result(null, problems);
    }

    /** Every problem of {@code d} against the loaded plugins; empty when valid. */
    public List<String> validate(PipelineDefinition d) {
        List<String> problems = new ArrayList<>();
        checkStage(d.source(), ExtensionKind.DATA_SOURCE, problems);
        problems.addAll(BuiltinStages.VALIDATE.validate(d.validate(), "validate"));
        problems.addAll(BuiltinStages.SPLIT.validate(d.split(), "split"));
        if ("time".equals(d.split().get("strategy")) && d.split().get("time_column") == null) {
            problems.add("split.time_column: required when strategy is time");
        }
        checkStage(d.train(), ExtensionKind.TRAINER, problems);
        for (StageSpec e : d.evaluate()) {
            checkStage(e, ExtensionKind.EVALUATOR, problems);
        }
        if (d.deploy() != null) {
            checkStage(d.deploy(), ExtensionKind.DEPLOYER, problems);
        }
        return problems;
    }

    private void checkStage(StageSpec stage, ExtensionKind kind, List<String> problems) {
        Optional<LoadedExtension<RetrainerExtension>> ext = plugins.find(kind, stage.plugin());
        if (ext.isEmpty()) {
            List<String> available = plugins.ids(kind);
            problems.add(stage.path() + ".plugin: " + plugins.whyUnavailable(kind, stage.plugin()).orElse("no " + kind.label()
                    + " called '" + stage.plugin() + "' is loaded"
                    + (available.isEmpty() ? " (none are)" : " (available: " + String.join(", ", available) + ")")));
            return;
        }
        problems.addAll(ext.get().extension().configSpec().validate(stage.config(), stage.path() + ".config"));
    }
}
