package io.retrainer.core.plugins;

import io.retrainer.api.ApiVersion;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.RetrainerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks a plugin jar passes before its extensions are used, and the PF4J calls that load it:
 * a manifest with {@code Plugin-Id}, a {@code Plugin-Requires} range that admits
 * {@link ApiVersion#CURRENT}, a plugin that starts, extension classes that load and can be
 * created, and valid ids that no other plugin already provides. The same code loads a jar into
 * the host's plugin manager and test-loads an uploaded one into a throw-away manager.
 */
final class JarLoading {
    private static final Logger LOG = LoggerFactory.getLogger(JarLoading.class);
    static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");
    /** Plugin ids name files and URL path segments, so they stay plain. */
    static final Pattern PLUGIN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private JarLoading() {
    }

    /** A plugin that passed every check, started in its manager. */
    record Loaded(String id, String version, String provider, String description, String requires, Path file,
                  List<RetrainerExtension> extensions, List<ExtensionView> described) {
    }

    /** A jar that failed a check; {@code descriptor} is set once PF4J could read one. */
    static final class Refused extends Exception {
        final transient PluginDescriptor descriptor;

        Refused(PluginDescriptor descriptor, String reason) {
            super(reason, null, false, false);
            this.descriptor = descriptor;
        }
    }

    /**
     * A PF4J manager over {@code dir} that keeps no enabled/disabled lists of its own: the host
     * decides what is disabled and remembers it itself.
     */
    static PluginManager manager(Path dir) {
        PluginManager m = new DefaultPluginManager(dir) {
            @Override
            protected PluginStatusProvider createPluginStatusProvider() {
                return new PluginStatusProvider() {
                    @Override
                    public boolean isPluginDisabled(String pluginId) {
                        return false;
                    }

                    @Override
                    public void disablePlugin(String pluginId) {
                    }

                    @Override
                    public void enablePlugin(String pluginId) {
                    }
                };
            }
        };
        m.setSystemVersion(ApiVersion.CURRENT);
        return m;
    }

    /**
     * Loads and starts {@code file} in {@code manager} and creates its extensions; on any failure
     * the plugin is unloaded again and {@link Refused} says why.
     *
     * @param owner for a kind-qualified extension id ({@code trainer/echo}), the plugin that
     *              already provides it, or {@code null}
     */
    static Loaded load(PluginManager manager, Path file, Function<String, String> owner) throws Refused {
        String unreadable = checkJar(file);
        if (unreadable != null) {
            throw new Refused(null, unreadable);
        }
        String pluginId;
        try {
            pluginId = manager.loadPlugin(file);
        } catch (RuntimeException e) {
            throw new Refused(null, "not a valid plugin: " + message(e));
        }
        if (pluginId == null) {
            throw new Refused(null, "not a valid plugin: PF4J found no plugin descriptor in it");
        }
        PluginWrapper wrapper = manager.getPlugin(pluginId);
        PluginDescriptor d = wrapper.getDescriptor();
        try {
            if (!PLUGIN_ID.matcher(pluginId).matches() || PluginHost.SYSTEM.equals(pluginId)) {
                throw new Refused(d, "Plugin-Id '" + pluginId + "' is not allowed; plugin ids must match " + PLUGIN_ID.pattern()
                        + " and must not be '" + PluginHost.SYSTEM + "'");
            }
            String requires = d.getRequires();
            if (requires == null || requires.isBlank() || "*".equals(requires.trim())) {
                LOG.warn("plugin {} ({}) declares no Plugin-Requires range; assuming it is built for API {}",
                        pluginId, file.getFileName(), ApiVersion.CURRENT);
            } else if (!manager.getVersionManager().checkVersionConstraint(ApiVersion.CURRENT, requires)) {
                throw new Refused(d, "requires Retrainer API " + requires + " but this platform provides " + ApiVersion.CURRENT);
            }
            PluginState state;
            try {
                state = manager.startPlugin(pluginId);
            } catch (RuntimeException e) {
                throw new Refused(d, "failed to start: " + message(e));
            }
            if (state != PluginState.STARTED) {
                String why = wrapper.getFailedException() != null ? message(wrapper.getFailedException()) : "state " + state;
                throw new Refused(d, "failed to start: " + why);
            }
            List<RetrainerExtension> extensions = new ArrayList<>();
            List<ExtensionView> described;
            try {
                for (String className : manager.getExtensionClassNames(pluginId)) {
                    extensions.add(instantiate(wrapper.getPluginClassLoader(), className));
                }
                if (extensions.isEmpty()) {
                    throw new IllegalStateException("it provides no extensions (no META-INF/extensions.idx entries; "
                            + "annotate extension classes with @org.pf4j.Extension)");
                }
                checkIds(extensions, owner);
                described = describe(extensions);
            } catch (IllegalStateException e) {
                throw new Refused(d, e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                throw new Refused(d, message(e));
            }
            return new Loaded(pluginId, d.getVersion(), d.getProvider(), d.getPluginDescription(), requires, file,
                    List.copyOf(extensions), described);
        } catch (Refused r) {
            unload(manager, pluginId);
            throw r;
        }
    }

    /**
     * Test-loads {@code file} in a throw-away manager (its own class loader, closed afterwards) and
     * returns what it provides; nothing of it stays loaded.
     */
    static Loaded trial(Path file, Function<String, String> owner) throws Refused {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("retrainer-plugin-check");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory to check the plugin in: " + e.getMessage(), e);
        }
        PluginManager m = manager(scratch);
        try {
            Loaded loaded = load(m, file, owner);
            unload(m, loaded.id());
            return loaded;
        } finally {
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException e) {
                LOG.debug("scratch directory {} not deleted: {}", scratch, e.getMessage());
            }
        }
    }

    /** The {@code Plugin-Id} in {@code file}'s manifest, or {@code null}. */
    static String manifestId(Path file) {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(file.toFile())) {
            java.util.jar.Manifest m = jar.getManifest();
            return m == null ? null : m.getMainAttributes().getValue("Plugin-Id");
        } catch (IOException e) {
            return null;
        }
    }

    /** The extensions as the API and console list them; calls each one's {@code description()} and {@code configSpec()}. */
    static List<ExtensionView> describe(List<RetrainerExtension> extensions) {
        List<ExtensionView> out = new ArrayList<>();
        for (RetrainerExtension e : extensions) {
            List<ExtensionKind> kinds = ExtensionKind.of(e);
            String id = kinds.size() == 1 ? idOf(e, kinds.get(0)) : e.id();
            out.add(new ExtensionView(id, kinds.stream().map(ExtensionKind::label).toList(), e.description(),
                    e.configSpec().settings()));
        }
        out.sort(java.util.Comparator.comparing(ExtensionView::id));
        return List.copyOf(out);
    }

    /** Why {@code file} cannot be a plugin jar, or {@code null} if it looks like one. */
    static String checkJar(Path file) {
        if (Files.isDirectory(file)) {
            return null;
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(file.toFile())) {
            java.util.jar.Manifest m = jar.getManifest();
            if (m == null || m.getMainAttributes().getValue("Plugin-Id") == null) {
                return "its manifest has no Plugin-Id (a plugin jar needs Plugin-Id, Plugin-Version and Plugin-Requires entries)";
            }
            return null;
        } catch (IOException e) {
            return "not a readable jar file: " + e.getMessage();
        }
    }

    static RetrainerExtension instantiate(ClassLoader loader, String className) {
        try {
            Class<?> cls = Class.forName(className, true, loader);
            if (!RetrainerExtension.class.isAssignableFrom(cls)) {
                throw new IllegalStateException("extension class " + className + " implements no Retrainer extension point");
            }
            return (RetrainerExtension) cls.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("extension class " + className + " is listed in META-INF/extensions.idx but is not in the jar", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("extension class " + className + " cannot be created: " + message(e), e);
        } catch (LinkageError e) {
            throw new IllegalStateException("extension class " + className + " cannot be loaded: " + message(e), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw e;
            }
            throw new IllegalStateException("extension class " + className + " cannot be created: " + message(e), e);
        }
    }

    /** Ids are well-formed, unique within the plugin and not provided by another plugin. */
    static void checkIds(List<RetrainerExtension> extensions, Function<String, String> owner) {
        Map<String, String> mine = new HashMap<>();
        for (RetrainerExtension e : extensions) {
            for (ExtensionKind kind : ExtensionKind.of(e)) {
                String id = idOf(e, kind);
                if (id == null || !ID.matcher(id).matches()) {
                    throw new IllegalStateException(kind.label() + " " + e.getClass().getName() + " has id '" + id
                            + "'; ids must match " + ID.pattern());
                }
                String key = key(kind, id);
                String twin = mine.put(key, e.getClass().getName());
                if (twin != null) {
                    throw new IllegalStateException(kind.label() + " id '" + id + "' is used twice in the plugin, by "
                            + twin + " and " + e.getClass().getName());
                }
                String clash = owner.apply(key);
                if (clash != null) {
                    throw new IllegalStateException(kind.label() + " id '" + id + "' is already provided by plugin " + clash);
                }
            }
        }
    }

    static void unload(PluginManager manager, String pluginId) {
        try {
            manager.unloadPlugin(pluginId);
        } catch (RuntimeException e) {
            LOG.debug("unloading plugin {} failed: {}", pluginId, e.getMessage());
        }
    }

    static String idOf(RetrainerExtension e, ExtensionKind kind) {
        return kind == ExtensionKind.MODEL_LOADER ? ((ModelLoader) e).format() : e.id();
    }

    static String key(ExtensionKind kind, String id) {
        return kind.label() + "/" + id;
    }

    static String message(Throwable e) {
        Throwable t = e;
        Set<Throwable> seen = new java.util.HashSet<>();
        while (t.getCause() != null && seen.add(t) && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m).replace('\n', ' ');
    }
}
