package io.retrainer.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin-upload switch and the admin token: off and none by default, upload only with a token, token never printed. */
class PluginUploadConfigTest {

    @Test
    void uploadIsOffAndThereIsNoTokenByDefault() {
        PlatformConfig c = ConfigLoader.load(new String[0], Map.of());
        assertFalse(c.pluginUpload());
        assertNull(c.adminToken());
    }

    @Test
    void uploadNeedsATokenFromTheCommandLineOrTheEnvironment() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {"--plugin-upload", "true"}, Map.of()));
        assertEquals("option --plugin-upload: plugin-upload is on but no admin-token is set (--admin-token or RETRAINER_ADMIN_TOKEN); "
                + "uploads need it", e.getMessage());

        PlatformConfig c = ConfigLoader.load(new String[] {"--plugin-upload", "true"}, Map.of("RETRAINER_ADMIN_TOKEN", "abc123"));
        assertTrue(c.pluginUpload());
        assertEquals("abc123", c.adminToken());
        assertFalse(c.toString().contains("abc123"), c.toString());
        assertEquals("abc123", c.withPort(9).adminToken());
    }
}
