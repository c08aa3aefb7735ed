package io.retrainer.core.plugins;

import io.retrainer.api.ApiVersion;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.RetrainerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugin jars in the plugins directory through PF4J and keeps their extensions by
 * kind and id. A jar that is broken, built for another API major version, or whose extensions
 * cannot be created is refused with a log line naming the file and the reason; the others load.
 */
public final class PluginHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");
    /** The plugin id given to extensions found on the host's own class path. */
    public static final String SYSTEM = "system";

    private final Path pluginsDir;
    private final PluginManager manager;
    private final Map<String, LoadedExtension<?>> byKindAndId = new LinkedHashMap<>();
    private final List<PluginView> views = new CopyOnWriteArrayList<>();

    /** Creates a host for {@code pluginsDir}; call {@link #loadAll()} to load. */
    public PluginHost(Path pluginsDir) {
        this.pluginsDir = pluginsDir;
        this.manager = new DefaultPluginManager(pluginsDir);
        manager.setSystemVersion(ApiVersion.CURRENT);
    }

    /** Loads and starts every plugin jar in the plugins directory, refusing the bad ones. */
    public synchronized void loadAll() {
        registerSystemExtensions();
        if (!Files.isDirectory(pluginsDir)) {
            LOG.warn("plugins directory {} does not exist: no plugins loaded", pluginsDir.toAbsolutePath());
            return;
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.list(pluginsDir)) {
            candidates = files.filter(p -> p.getFileName().toString().endsWith(".jar")
                    || p.getFileName().toString().endsWith(".zip")).sorted().toList();
        } catch (IOException e) {
            LOG.error("cannot list plugins directory {}: {}", pluginsDir.toAbsolutePath(), e.getMessage());
            return;
        }
        for (Path file : candidates) {
            load(file);
        }
    }

    private void load(Path file) {
        String unreadable = checkJar(file);
        if (unreadable != null) {
            refuse(file, null, unreadable);
            return;
        }
        String pluginId;
        try {
            pluginId = manager.loadPlugin(file);
        } catch (RuntimeException e) {
            refuse(file, null, "not a valid plugin: " + message(e));
            return;
        }
        if (pluginId == null) {
            refuse(file, null, "not a valid plugin: PF4J found no plugin descriptor in it");
            return;
        }
        PluginWrapper wrapper = manager.getPlugin(pluginId);
        PluginDescriptor d = wrapper.getDescriptor();
        String requires = d.getRequires();
        if (requires == null || requires.isBlank() || "*".equals(requires.trim())) {
            LOG.warn("plugin {} ({}) declares no Plugin-Requires range; assuming it is built for API {}",
                    pluginId, file.getFileName(), ApiVersion.CURRENT);
        } else if (!manager.getVersionManager().checkVersionConstraint(ApiVersion.CURRENT, requires)) {
            unload(pluginId);
            refuse(file, d, "requires Retrainer API " + requires + " but this platform provides " + ApiVersion.CURRENT);
            return;
        }
        PluginState state;
        try {
            state = manager.startPlugin(pluginId);
        } catch (RuntimeException e) {
            unload(pluginId);
            refuse(file, d, "failed to start: " + message(e));
            return;
        }
        if (state != PluginState.STARTED) {
            String why = wrapper.getFailedException() != null ? message(wrapper.getFailedException()) : "state " + state;
            unload(pluginId);
            refuse(file, d, "failed to start: " + why);
            return;
        }
        List<RetrainerExtension> extensions = new ArrayList<>();
        try {
            for (String className : manager.getExtensionClassNames(pluginId)) {
                extensions.add(instantiate(wrapper.getPluginClassLoader(), className));
            }
            if (extensions.isEmpty()) {
                throw new IllegalStateException("it provides no extensions (no META-INF/extensions.idx entries; "
                        + "annotate extension classes with @org.pf4j.Extension)");
            }
            checkIds(extensions);
        } catch (IllegalStateException e) {
            unload(pluginId);
            refuse(file, d, e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            unload(pluginId);
            refuse(file, d, message(e));
            return;
        }
        register(pluginId, d.getVersion(), extensions);
        views.add(new PluginView(pluginId, d.getVersion(), d.getProvider(), d.getPluginDescription(), requires,
                "started", file.getFileName().toString(), null, describe(extensions)));
        LOG.info("plugin {} {} loaded from {}: {}", pluginId, d.getVersion(), file.getFileName(), summary(extensions));
    }

    /** Why {@code file} cannot be a plugin jar, or {@code null} if it looks like one. */
    private static String checkJar(Path file) {
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

    private RetrainerExtension instantiate(ClassLoader loader, String className) {
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
        }
    }

    private void checkIds(List<RetrainerExtension> extensions) {
        for (RetrainerExtension e : extensions) {
            for (ExtensionKind kind : ExtensionKind.of(e)) {
                String id = idOf(e, kind);
                if (id == null || !ID.matcher(id).matches()) {
                    throw new IllegalStateException(kind.label() + " " + e.getClass().getName() + " has id '" + id
                            + "'; ids must match " + ID.pattern());
                }
                LoadedExtension<?> clash = byKindAndId.get(key(kind, id));
                if (clash != null) {
                    throw new IllegalStateException(kind.label() + " id '" + id + "' is already provided by plugin "
                            + clash.pluginId());
                }
            }
        }
    }

    private void registerSystemExtensions() {
        List<RetrainerExtension> system = new ArrayList<>();
        for (String className : manager.getExtensionClassNames(null)) {
            try {
                system.add(instantiate(getClass().getClassLoader(), className));
            } catch (RuntimeException e) {
                LOG.error("class-path extension {} refused: {}", className, e.getMessage());
            }
        }
        if (!system.isEmpty()) {
            checkIds(system);
            register(SYSTEM, ApiVersion.CURRENT, system);
            views.add(new PluginView(SYSTEM, ApiVersion.CURRENT, "Retrainer", "Extensions on the host's class path",
                    "*", "started", "", null, describe(system)));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void register(String pluginId, String version, List<RetrainerExtension> extensions) {
        for (RetrainerExtension e : extensions) {
            for (ExtensionKind kind : ExtensionKind.of(e)) {
                byKindAndId.put(key(kind, idOf(e, kind)), new LoadedExtension(e, kind, pluginId, version));
            }
        }
    }

    private void refuse(Path file, PluginDescriptor d, String reason) {
        LOG.error("plugin file {} refused: {}", file.getFileName(), reason);
        views.add(new PluginView(d == null ? null : d.getPluginId(), d == null ? null : d.getVersion(),
                d == null ? null : d.getProvider(), d == null ? null : d.getPluginDescription(),
                d == null ? null : d.getRequires(), "refused", file.getFileName().toString(), reason, List.of()));
    }

    private void unload(String pluginId) {
        try {
            manager.unloadPlugin(pluginId);
        } catch (RuntimeException e) {
            LOG.debug("unloading refused plugin {} failed: {}", pluginId, e.getMessage());
        }
    }

    /** The extension of {@code kind} with {@code id}, if loaded. */
    @SuppressWarnings("unchecked")
    public synchronized <T extends RetrainerExtension> Optional<LoadedExtension<T>> find(ExtensionKind kind, String id) {
        return Optional.ofNullable((LoadedExtension<T>) byKindAndId.get(key(kind, id)));
    }

    /** The model loader for artifact {@code format}, if loaded. */
    public Optional<LoadedExtension<ModelLoader>> loaderFor(String format) {
        return find(ExtensionKind.MODEL_LOADER, format);
    }

    /** The ids of loaded extensions of {@code kind}, sorted. */
    public synchronized List<String> ids(ExtensionKind kind) {
        String prefix = kind.label() + "/";
        return byKindAndId.keySet().stream().filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length())).sorted().toList();
    }

    /** Every plugin, started and refused, sorted by state then id. */
    public List<PluginView> plugins() {
        List<PluginView> out = new ArrayList<>(views);
        out.sort(Comparator.comparing((PluginView v) -> v.state()).reversed()
                .thenComparing(v -> v.id() == null ? v.file() : v.id()));
        return out;
    }

    /** How many plugins started. */
    public long startedCount() {
        return views.stream().filter(v -> "started".equals(v.state()) && !SYSTEM.equals(v.id())).count();
    }

    @Override
    public synchronized void close() {
        // One at a time over a copy: PF4J 3.15's stopPlugins() can throw ConcurrentModificationException (pf4j#656).
        for (PluginWrapper w : new ArrayList<>(manager.getPlugins())) {
            try {
                manager.unloadPlugin(w.getPluginId());
            } catch (RuntimeException e) {
                LOG.warn("unloading plugin {}: {}", w.getPluginId(), e.getMessage());
            }
        }
    }

    private static List<ExtensionView> describe(List<RetrainerExtension> extensions) {
        List<ExtensionView> out = new ArrayList<>();
        for (RetrainerExtension e : extensions) {
            List<ExtensionKind> kinds = ExtensionKind.of(e);
            String id = kinds.size() == 1 ? idOf(e, kinds.get(0)) : e.id();
            out.add(new ExtensionView(id, kinds.stream().map(ExtensionKind::label).toList(), e.description(),
                    e.configSpec().settings()));
        }
        out.sort(Comparator.comparing(ExtensionView::id));
        return out;
    }

    private static String summary(List<RetrainerExtension> extensions) {
        List<String> parts = new ArrayList<>();
        for (ExtensionView v : describe(extensions)) {
            parts.add(String.join("+", v.kinds()) + " '" + v.id() + "'");
        }
        return String.join(", ", parts);
    }

    private static String idOf(RetrainerExtension e, ExtensionKind kind) {
        return kind == ExtensionKind.MODEL_LOADER ? ((ModelLoader) e).format() : e.id();
    }

    private static String key(ExtensionKind kind, String id) {
        return kind.label() + "/" + id;
    }

    private static String message(Throwable e) {
        Throwable t = e;
        Set<Throwable> seen = new java.util.HashSet<>();
        while (t.getCause() != null && seen.add(t) && (t.getMessage() == null || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m).replace('\n', ' ');
    }
}
