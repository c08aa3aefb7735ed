package io.retrainer.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds plugin jars inside tests: copies of real ones with another manifest, or deliberately broken ones. */
final class PluginJars {
    private PluginJars() {
    }

    /** A copy of {@code source} whose manifest says {@code id} and {@code requires}. */
    static Path withManifest(Path source, Path target, String id, String requires) throws IOException {
        try (JarFile in = new JarFile(source.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest(id, requires))) {
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.getName().equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                    continue;
                }
                out.putNextEntry(new JarEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
                out.closeEntry();
            }
        }
        return target;
    }

    /** A jar with a valid manifest whose extension index names a class that is not there. */
    static Path missingExtensionClass(Path target, String id) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), manifest(id, ">=1.0.0 & <2.0.0"))) {
            out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
            out.write("com.example.NotInThisJar\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return target;
    }

    /** A file named .jar that is not a zip at all. */
    static Path garbage(Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write("this is not a jar".getBytes(StandardCharsets.UTF_8));
        }
        return target;
    }

    private static Manifest manifest(String id, String requires) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", id);
        a.putValue("Plugin-Version", "9.9.9");
        a.putValue("Plugin-Requires", requires);
        a.putValue("Plugin-Provider", "tests");
        return m;
    }
}
