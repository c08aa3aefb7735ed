package io.retrainer.web.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.retrainer.core.Platform;
import io.retrainer.core.config.PlatformConfig;
import io.retrainer.core.persistence.TestDatabases;
import io.retrainer.web.WebServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Plugins page's buttons on a real platform and web server, with a plugin jar compiled in the
 * test, an admin token and upload off: disable and enable through forms, refusals shown on the page.
 */
class PluginActionsTest {
    static final String TOKEN = "console-test-token";
    @TempDir
    static Path temp;
    static Vertx vertx;
    static String dbUrl;
    static Platform platform;
    static String base;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        jar(plugins.resolve("tiny.jar"));
        vertx = Vertx.vertx();
        dbUrl = TestDatabases.create();
        platform = Platform.start(PlatformConfig.local(temp.resolve("data"), dbUrl, plugins).withPluginUpload(false, TOKEN), vertx);
        WebServer server = new WebServer(platform);
        vertx.deployVerticle(server).toCompletionStage().toCompletableFuture().get();
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get();
        TestDatabases.drop(dbUrl);
    }

    /** A plugin "tiny" with one data source, compiled against the API with PF4J's annotation processor. */
    static void jar(Path target) throws Exception {
        Path src = Files.createDirectories(temp.resolve("src/com/example/tiny"));
        Files.writeString(src.resolve("TinySource.java"), """
                package com.example.tiny;
                @org.pf4j.Extension
                public final class TinySource implements io.retrainer.api.DataSource {
                    public String id() { return "tiny-data"; }
                    public io.retrainer.api.Dataset load(io.retrainer.api.StageContext c) { throw new IllegalStateException("unused"); }
                }
                """);
        Path classes = Files.createDirectories(temp.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"), "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor",
                src.resolve("TinySource.java").toString());
        assertEquals(0, rc);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Plugin-Id", "tiny");
        m.getMainAttributes().putValue("Plugin-Version", "1.0.0");
        m.getMainAttributes().putValue("Plugin-Requires", ">=1.0.0 & <2.0.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), m); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts a form and returns the redirect's query message ({@code done=...} or {@code error=...}). */
    static String post(String path, String form) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/plugins?"), location);
        return URLDecoder.decode(location.substring("/plugins?".length()), StandardCharsets.UTF_8);
    }

    @Test
    void disableAndEnableThroughTheFormsWithTheToken() throws Exception {
        String page = get("/plugins").body();
        assertTrue(page.contains("action=\"/plugins/tiny/disable\""), page);
        assertTrue(page.contains("placeholder=\"admin token\""), page);
        assertFalse(page.contains("action=\"/plugins/upload\""), "upload form shown although upload is off");
        assertTrue(page.contains("Upload is off"), page);

        assertEquals("error=this needs the admin token: send the header 'Authorization: Bearer <admin-token>'",
                post("/plugins/tiny/disable", "token="));
        assertEquals("error=the admin token is wrong", post("/plugins/tiny/disable", "token=nope"));
        assertEquals(List.of("tiny-data"), platform.plugins().ids(io.retrainer.core.plugins.ExtensionKind.DATA_SOURCE).stream()
                .filter(id -> id.startsWith("tiny")).toList());

        assertEquals("done=Plugin tiny disabled.", post("/plugins/tiny/disable", "token=" + TOKEN));
        assertTrue(platform.plugins().find(io.retrainer.core.plugins.ExtensionKind.DATA_SOURCE, "tiny-data").isEmpty());
        String disabled = get("/plugins?done=Plugin+tiny+disabled.").body();
        assertTrue(disabled.contains("Plugin tiny disabled."), disabled);
        assertTrue(disabled.contains("action=\"/plugins/tiny/enable\""), disabled);
        assertTrue(disabled.contains("its extensions are not offered"), disabled);

        assertEquals("done=Plugin tiny enabled.", post("/plugins/tiny/enable", "token=" + TOKEN));
        assertTrue(platform.plugins().find(io.retrainer.core.plugins.ExtensionKind.DATA_SOURCE, "tiny-data").isPresent());
    }

    @Test
    void uploadAndUninstallAreRefusedWhileUploadIsOffAndClassPathExtensionsCannotBeManaged() throws Exception {
        assertTrue(post("/plugins/upload", "token=" + TOKEN).startsWith("error=plugin upload is off"));
        assertTrue(post("/plugins/tiny/uninstall", "token=" + TOKEN).startsWith("error=plugin upload is off"));
        assertTrue(Files.exists(temp.resolve("plugins/tiny.jar")));
        assertEquals("error=the extensions on the host's class path ('system') cannot be disabled",
                post("/plugins/system/disable", "token=" + TOKEN));
        assertEquals("error=no plugin called 'nope'", post("/plugins/nope/reload", "token=" + TOKEN));
    }
}
