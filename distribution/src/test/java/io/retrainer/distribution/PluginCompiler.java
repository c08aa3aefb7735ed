package io.retrainer.distribution;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars from Java sources inside tests, the way a plugin author's build does: javac
 * against the plugin API and PF4J only (nothing else of the host), PF4J's annotation processor
 * writing {@code META-INF/extensions.idx}, and a jar with the PF4J manifest entries.
 */
final class PluginCompiler {
    private PluginCompiler() {
    }

    /** The jar (or classes directory) holding {@code type}. */
    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles every {@code .java} file under {@code sourceRoot} and jars the result as plugin {@code id}. */
    static Path fromDirectory(Path sourceRoot, Path jar, String id, String version) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sourceRoot)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        return compile(files, jar, id, version, ">=1.0.0 & <2.0.0");
    }

    /** Compiles {@code sources} (class name to source text) and jars the result as plugin {@code id}. */
    static Path fromSources(Map<String, String> sources, Path jar, String id, String version, String requires) throws IOException {
        Path src = Files.createTempDirectory("plugin-src");
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
            files.add(f);
        }
        return compile(files, jar, id, version, requires);
    }

    private static Path compile(List<Path> files, Path jar, String id, String version, String requires) throws IOException {
        Path classes = Files.createTempDirectory("plugin-classes");
        String classpath = locationOf(io.retrainer.api.ApiVersion.class) + java.io.File.pathSeparator
                + locationOf(org.pf4j.Extension.class);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-classpath", classpath,
                "-processorpath", locationOf(org.pf4j.Extension.class).toString(),
                "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor"));
        files.forEach(f -> args.add(f.toString()));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        // Compiler messages go to stderr, into the test report.
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("javac failed with exit code " + rc + " for " + files + " (see stderr)");
        }
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", id);
        a.putValue("Plugin-Version", version);
        a.putValue("Plugin-Requires", requires);
        a.putValue("Plugin-Provider", "tests");
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream zip = new JarOutputStream(Files.newOutputStream(jar), m);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, zip);
                zip.closeEntry();
            }
        }
        return jar;
    }
}
