package io.retrainer.plugins.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.retrainer.api.Dataset;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.Prediction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Checks that artifacts stored by an earlier build still load and predict exactly as they did.
 * Each plugin keeps, under {@code artifacts-v1/} in its test resources, {@code <name>.artifact}
 * (trained on rows 0-199 of a test CSV) and {@code <name>.predictions}: the predictions the
 * training build made for rows 200-229, one line each, in the form of {@link #line}.
 */
public final class StoredArtifacts {
    private StoredArtifacts() {
    }

    /** {@code label TAB value TAB class=probability,...} (classes sorted), exact to the last bit. */
    public static String line(Prediction p) {
        StringBuilder b = new StringBuilder();
        b.append(p.label()).append('\t').append(p.value()).append('\t');
        new TreeMap<>(p.probabilities()).forEach((k, v) -> b.append(k).append('=').append(v).append(','));
        return b.toString();
    }

    /** The rows the stored predictions were made for. */
    public static Dataset scoredRows(Dataset data) {
        return data.rows(IntStream.range(200, 230).toArray());
    }

    /** Loads {@code artifacts-v1/<name>.artifact} with {@code loader} and compares its predictions. */
    public static void assertLoadsAndPredictsAsStored(ModelLoader loader, String name, Dataset data) throws Exception {
        byte[] artifact = resource("/artifacts-v1/" + name + ".artifact");
        List<String> expected = new String(resource("/artifacts-v1/" + name + ".predictions"), StandardCharsets.UTF_8)
                .lines().toList();
        List<String> actual = new ArrayList<>();
        for (Prediction p : loader.load(artifact).predict(scoredRows(data))) {
            actual.add(line(p));
        }
        assertEquals(expected, actual, name + ": a stored model must predict as it did when it was trained");
    }

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = StoredArtifacts.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no " + path + " on the test class path");
            }
            return in.readAllBytes();
        }
    }
}
