package io.retrainer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSpecTest {
    private final ConfigSpec spec = ConfigSpec.builder()
            .required("path", SettingType.STRING, "file")
            .optional("rounds", SettingType.INTEGER, 100, "rounds")
            .optional("rate", SettingType.NUMBER, 0.1, "rate")
            .optional("every", SettingType.DURATION, "60s", "interval")
            .optional("steps", SettingType.NUMBER_LIST, null, "steps")
            .choice("task", "auto", List.of("auto", "classification", "regression"), "task")
            .build();

    @Test
    void reportsEveryProblemByPath() {
        List<String> problems = spec.validate(Map.of("rounds", "ten", "task", "ranking", "extra", 1), "train.config");
        assertTrue(problems.contains("train.config.rounds: expected integer, got \"ten\""), problems.toString());
        assertTrue(problems.contains("train.config.path: required string is missing"), problems.toString());
        assertTrue(problems.contains("train.config.task: \"ranking\" is not one of [auto, classification, regression]"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("train.config.extra: unknown setting (known: path, rounds")), problems.toString());
        assertEquals(4, problems.size(), problems.toString());
    }

    @Test
    void resolvesDefaultsAndTypes() {
        Settings s = spec.resolve(Map.of("path", "a.csv", "rounds", 5, "every", "5m", "steps", List.of(10, 50, 100)), "x");
        assertEquals("a.csv", s.requireString("path"));
        assertEquals(5L, s.integer("rounds"));
        assertEquals(0.1, s.number("rate"));
        assertEquals(Duration.ofMinutes(5), s.duration("every"));
        assertEquals(List.of(10.0, 50.0, 100.0), s.list("steps"));
        assertEquals("auto", s.requireString("task"));
    }

    @Test
    void rejectsFractionalIntegerAndBadDuration() {
        List<String> problems = spec.validate(Map.of("path", "p", "rounds", 2.5, "every", "soon"), "t");
        assertEquals(List.of("t.rounds: expected integer, got 2.5",
                "t.every: expected duration (like 500ms, 60s, 5m, 1h, 2d), got \"soon\""), problems);
        assertThrows(IllegalArgumentException.class, () -> spec.resolve(Map.of(), "t"));
    }
}
