package io.retrainer.web.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Formatting and the metric/lineage trees the templates render. */
class ConsoleViewsTest {
    @Test
    void timesAreUtcAndDurationsInSeconds() {
        assertEquals("2024-03-01 12:34:56", ConsoleViews.time(Instant.parse("2024-03-01T12:34:56.789Z")));
        assertEquals("", ConsoleViews.time(null));
        assertEquals("1.23 s", ConsoleViews.duration(Duration.ofMillis(1234)));
        assertEquals("83.20 s (1 min 23 s)", ConsoleViews.duration(Duration.ofMillis(83_200)));
        assertEquals("2.00 s", ConsoleViews.duration(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:02Z")));
    }

    @Test
    void numbersAreReadable() {
        assertEquals("0.9912", ConsoleViews.number(0.991150442));
        assertEquals("569", ConsoleViews.number(569.0));
        assertEquals("42", ConsoleViews.number(42L));
        assertEquals("1.000e-04", ConsoleViews.number(1e-4));
        assertEquals("0.5", ConsoleViews.number(0.5));
    }

    @Test
    @SuppressWarnings("unchecked")
    void treesKnowMatricesComparisonsGridsAndRecords() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("candidate", Map.of("accuracy", 0.9));
        metrics.put("champion", Map.of("accuracy", 0.8));
        metrics.put("details", Map.of("confusion_matrix", Map.of("labels", List.of("a", "b"),
                "matrix", List.of(List.of(5, 1), List.of(0, 4)))));
        Map<String, Object> n = ConsoleViews.node(metrics, 0);
        assertEquals("map", n.get("kind"));
        List<Map<String, Object>> entries = (List<Map<String, Object>>) n.get("entries");
        assertEquals("candidate vs champion", entries.get(0).get("key"));
        Map<String, Object> compare = (Map<String, Object>) entries.get(0).get("node");
        assertEquals("compare", compare.get("kind"));
        assertEquals(List.of("0.9", "0.8"), ((List<Map<String, Object>>) compare.get("rows")).get(0).get("cells"));
        Map<String, Object> details = (Map<String, Object>) entries.get(1).get("node");
        Map<String, Object> matrix = (Map<String, Object>) ((List<Map<String, Object>>) details.get("entries")).get(0).get("node");
        assertEquals("matrix", matrix.get("kind"));
        assertEquals(List.of("a", "b"), matrix.get("labels"));

        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            many.put("col" + i, 0.0);
        }
        assertEquals("grid", ConsoleViews.node(many, 0).get("kind"));

        Map<String, Object> records = ConsoleViews.node(List.of(Map.of("name", "x"), Map.of("name", "y")), 0);
        assertEquals("records", records.get("kind"));
        assertEquals("scalar", ConsoleViews.node(List.of(1, 2.5, "z"), 0).get("kind"));
        assertEquals("1, 2.5, z", ConsoleViews.node(List.of(1, 2.5, "z"), 0).get("text"));
    }
}
