package io.retrainer.plugins.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a trained model: a header, a JSON document with the {@link FeatureEncoder}
 * and the class list, and the model exactly as XGBoost saved it in its JSON format. XGBoost's own
 * format rather than a private one, so the model can be loaded by any XGBoost (Python, the CLI,
 * xgboost4j) for inspection, and read by {@link TreeEnsemble} without a native library.
 *
 * @param encoder how input rows become the feature vector
 * @param classes the class names in label order (label {@code i} is {@code classes[i]}); empty for regression
 * @param modelJson the model in XGBoost's JSON format
 */
record ModelArtifact(FeatureEncoder encoder, List<String> classes, byte[] modelJson) {
    static final String FORMAT = "xgboost-json";
    private static final String MAGIC = "retrainer:" + FORMAT;
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    ModelArtifact {
        classes = List.copyOf(classes);
    }

    byte[] toBytes() throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.set("encoding", encoder.toJson());
        ArrayNode names = header.putArray("classes");
        classes.forEach(names::add);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(modelJson.length + 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            writeBlock(out, JSON.writeValueAsBytes(header));
            writeBlock(out, modelJson);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads an artifact written by {@link #toBytes()}.
     *
     * @throws IOException if the bytes are not such an artifact
     */
    static ModelArtifact fromBytes(byte[] artifact) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            String magic = in.readUTF();
            int version = in.readInt();
            if (!MAGIC.equals(magic) || version != VERSION) {
                throw new IOException("not a " + FORMAT + " artifact of version " + VERSION);
            }
            JsonNode header = JSON.readTree(readBlock(in));
            FeatureEncoder encoder = FeatureEncoder.fromJson(header.required("encoding"));
            List<String> classes = new ArrayList<>();
            header.required("classes").forEach(c -> classes.add(c.textValue()));
            return new ModelArtifact(encoder, classes, readBlock(in));
        } catch (IOException | RuntimeException e) {
            throw new IOException("the artifact is not a readable " + FORMAT + " model: " + e.getMessage(), e);
        }
    }

    private static void writeBlock(DataOutputStream out, byte[] block) throws IOException {
        out.writeInt(block.length);
        out.write(block);
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("block length " + length + " exceeds the " + in.available() + " bytes left");
        }
        byte[] block = new byte[length];
        in.readFully(block);
        return block;
    }
}
