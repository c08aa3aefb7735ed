package io.retrainer.plugins.xgboost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Edits of a model in XGBoost's JSON format that xgboost4j's Java API cannot make itself.
 */
final class BoosterJson {
    /** Floats kept as their exact decimal text, so a rewritten model holds exactly the same floats. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private BoosterJson() {
    }

    /**
     * The model cut back to its first {@code rounds} boosting rounds, as after early stopping:
     * xgboost4j 3.x has no {@code Booster.slice}, and the served model must be the best one, not
     * the one the extra patience rounds left behind.
     *
     * @throws IOException if the bytes are not an XGBoost JSON gbtree model with at least that many rounds
     */
    static byte[] firstRounds(byte[] modelJson, int rounds) throws IOException {
        JsonNode root = JSON.readTree(modelJson);
        ObjectNode model = (ObjectNode) root.required("learner").required("gradient_booster").required("model");
        ArrayNode indptr = (ArrayNode) model.required("iteration_indptr");
        if (rounds < 1 || rounds >= indptr.size()) {
            throw new IOException("cannot keep " + rounds + " rounds of a model with " + (indptr.size() - 1));
        }
        int trees = indptr.get(rounds).intValue();
        keepFirst((ArrayNode) model.required("trees"), trees);
        keepFirst((ArrayNode) model.required("tree_info"), trees);
        keepFirst(indptr, rounds + 1);
        ((ObjectNode) model.required("gbtree_model_param")).put("num_trees", Integer.toString(trees));
        keepFloatsFloats(root);
        return JSON.writeValueAsBytes(root);
    }

    /**
     * Replaces each decimal by its text, forced to look like a float: XGBoost refuses an integer
     * where its schema has a float ("Invalid cast, from Integer to Number"), and a decimal such as
     * {@code -0E0} would otherwise be written as {@code 0}.
     */
    private static void keepFloatsFloats(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isBigDecimal()) {
                    field.setValue(floatText(field.getValue()));
                } else {
                    keepFloatsFloats(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isBigDecimal()) {
                    array.set(i, floatText(array.get(i)));
                } else {
                    keepFloatsFloats(array.get(i));
                }
            }
        }
    }

    private static JsonNode floatText(JsonNode decimal) {
        String text = decimal.decimalValue().toString();
        if (text.indexOf('.') < 0 && text.indexOf('E') < 0 && text.indexOf('e') < 0) {
            text += ".0";
        }
        return JsonNodeFactory.instance.rawValueNode(new RawValue(text));
    }

    private static void keepFirst(ArrayNode array, int n) {
        while (array.size() > n) {
            array.remove(array.size() - 1);
        }
    }
}
