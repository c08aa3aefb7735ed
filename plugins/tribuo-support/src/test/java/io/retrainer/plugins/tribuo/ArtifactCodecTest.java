package io.retrainer.plugins.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ArtifactCodecTest {
    private static final ArtifactCodec CODEC = new ArtifactCodec("tribuo-test");

    @Test
    void headerIsMagicThenVersionThenBody() throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeUTF("retrainer:tribuo-test");
        out.writeInt(1);
        out.writeDouble(2.5);
        byte[] bytes = CODEC.encode(o -> o.writeDouble(2.5));
        assertArrayEquals(expected.toByteArray(), bytes);
        assertEquals(2.5, CODEC.decode(bytes, in -> in.readDouble()));
    }

    @Test
    void refusesOtherFormatsAndTruncatedBodiesNamingTheFormat() throws IOException {
        byte[] other = new ArtifactCodec("tribuo-other").encode(o -> o.writeDouble(2.5));
        IOException e = assertThrows(IOException.class, () -> CODEC.decode(other, in -> in.readDouble()));
        assertEquals("the artifact is not a readable tribuo-test model: not a tribuo-test artifact of version 1", e.getMessage());

        byte[] truncated = CODEC.encode(o -> o.writeInt(7));
        e = assertThrows(IOException.class, () -> CODEC.decode(truncated, in -> in.readDouble()));
        assertEquals("the artifact is not a readable tribuo-test model: null", e.getMessage());

        e = assertThrows(IOException.class, () -> CODEC.decode("hello".getBytes(), in -> in.readDouble()));
        assertTrue(e.getMessage().startsWith("the artifact is not a readable tribuo-test model:"), e.getMessage());
    }
}
