package io.retrainer.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefaults(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/retrainer.properties"), "port=7000\ndata-dir=/srv/data\nstage-timeout=10m\ndb-url=\n");
        Map<String, String> env = Map.of("RETRAINER_HOME", home.toString(), "RETRAINER_PORT", "7100",
                "RETRAINER_DB_URL", "postgresql://db:5432/r");
        PlatformConfig c = ConfigLoader.load(new String[] {"--port", "7200"}, env);
        assertEquals(7200, c.port());
        assertEquals(Path.of("/srv/data"), c.dataDir());
        assertEquals("postgresql://db:5432/r", c.dbUrl());
        assertEquals(Duration.ofMinutes(10), c.stageTimeout());
        assertEquals(home.resolve("plugins"), c.pluginsDir());
        PlatformConfig envOnly = ConfigLoader.load(new String[0], Map.of("RETRAINER_PORT", "7100"));
        assertEquals(7100, envOnly.port());
        assertNull(envOnly.dbUrl());
        assertEquals(Path.of("data"), envOnly.dataDir());
    }

    @Test
    void badValuesNameTheSettingAndWhereItCameFrom() {
        ConfigException port = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[0], Map.of("RETRAINER_PORT", "eighty")));
        assertEquals("environment variable RETRAINER_PORT: port must be a whole number, got 'eighty'", port.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--prot", "1"}, Map.of()));
        assertTrue(unknown.getMessage().startsWith("unknown option --prot (known: --host, --port, --data-dir, --db-url, --plugins-dir, "),
                unknown.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--data-dir"}, Map.of()));
        assertEquals("option --data-dir needs a value", missing.getMessage());
    }
}
