package io.retrainer.core.plugins;

import io.retrainer.api.ApiVersion;
import io.retrainer.api.ModelLoader;
import io.retrainer.api.RetrainerExtension;
import io.retrainer.core.ConflictException;
import io.retrainer.core.NotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the plugin jars in the plugins directory through PF4J and keeps their extensions by
 * kind and id. A jar that is broken, built for another API major version, or whose extensions
 * cannot be created is refused with a log line naming the file and the reason; the others load.
 *
 * <p>While the platform runs, a plugin can be disabled (its extensions are no longer offered to
 * new runs; remembered across restarts in {@value #DISABLED_FILE} in the plugins directory),
 * enabled, reloaded from its jar, installed from an uploaded jar and uninstalled. A jar is
 * test-loaded in a throw-away plugin manager before it replaces anything, so a bad one leaves
 * nothing behind. Runs register the plugins they use ({@link #findForRun}); a plugin in use is
 * neither reloaded nor uninstalled.
 */
public final class PluginHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
    /** The plugin id given to extensions found on the host's own class path. */
    public static final String SYSTEM = "system";
    /** The file in the plugins directory listing disabled plugin ids, one a line. */
    public static final String DISABLED_FILE = "disabled-plugins.txt";

    /** A plugin with its extensions, enabled or disabled. */
    private record Installed(JarLoading.Loaded plugin, boolean system) {
        String id() {
            return plugin.id();
        }
    }

    private final Path pluginsDir;
    private final PluginManager manager;
    private final Map<String, Installed> installed = new LinkedHashMap<>();
    private final Set<String> disabled = new LinkedHashSet<>();
    private final Map<String, LoadedExtension<?>> byKindAndId = new LinkedHashMap<>();
    private final List<PluginView> refused = new ArrayList<>();
    private final Map<Long, PluginUse> runs = new LinkedHashMap<>();
    private final Map<Long, Set<String>> pluginsOfRun = new LinkedHashMap<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

    /** Creates a host for {@code pluginsDir}; call {@link #loadAll()} to load. */
    public PluginHost(Path pluginsDir) {
        this.pluginsDir = pluginsDir;
        this.manager = JarLoading.manager(pluginsDir);
    }

    /** Loads and starts every plugin jar in the plugins directory, refusing the bad ones. */
    public synchronized void loadAll() {
        registerSystemExtensions();
        if (!Files.isDirectory(pluginsDir)) {
            LOG.warn("plugins directory {} does not exist: no plugins loaded", pluginsDir.toAbsolutePath());
            return;
        }
        disabled.addAll(readDisabled());
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
        changed();
    }

    /** Loads {@code file} into the host's manager, or records why it is refused; true if it loaded. */
    private boolean load(Path file) {
        JarLoading.Loaded p;
        try {
            p = JarLoading.load(manager, file, this::owner);
        } catch (JarLoading.Refused r) {
            refuse(file, r.descriptor, r.getMessage());
            return false;
        }
        installed.put(p.id(), new Installed(p, false));
        refused.removeIf(v -> v.file().equals(file.getFileName().toString()));
        if (disabled.contains(p.id())) {
            LOG.info("plugin {} {} loaded from {} but disabled: {}", p.id(), p.version(), file.getFileName(), summary(p.described()));
        } else {
            register(p.id(), p.version(), p.extensions());
            LOG.info("plugin {} {} loaded from {}: {}", p.id(), p.version(), file.getFileName(), summary(p.described()));
        }
        return true;
    }

    /** The plugin providing {@code key} ({@code kind/id}) among those loaded, enabled or not. */
    private String owner(String key) {
        for (Installed i : installed.values()) {
            for (RetrainerExtension e : i.plugin().extensions()) {
                for (ExtensionKind kind : ExtensionKind.of(e)) {
                    if (JarLoading.key(kind, JarLoading.idOf(e, kind)).equals(key)) {
                        return i.id();
                    }
                }
            }
        }
        return null;
    }

    private void registerSystemExtensions() {
        List<RetrainerExtension> system = new ArrayList<>();
        for (String className : manager.getExtensionClassNames(null)) {
            try {
                system.add(JarLoading.instantiate(getClass().getClassLoader(), className));
            } catch (RuntimeException e) {
                LOG.error("class-path extension {} refused: {}", className, e.getMessage());
            }
        }
        if (!system.isEmpty()) {
            JarLoading.checkIds(system, this::owner);
            installed.put(SYSTEM, new Installed(new JarLoading.Loaded(SYSTEM, ApiVersion.CURRENT, "Retrainer",
                    "Extensions on the host's class path", "*", null, List.copyOf(system), JarLoading.describe(system)), true));
            register(SYSTEM, ApiVersion.CURRENT, system);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void register(String pluginId, String version, List<RetrainerExtension> extensions) {
        for (RetrainerExtension e : extensions) {
            for (ExtensionKind kind : ExtensionKind.of(e)) {
                byKindAndId.put(JarLoading.key(kind, JarLoading.idOf(e, kind)), new LoadedExtension(e, kind, pluginId, version));
            }
        }
    }

    private void unregister(String pluginId) {
        byKindAndId.values().removeIf(e -> e.pluginId().equals(pluginId));
    }

    private void refuse(Path file, PluginDescriptor d, String reason) {
        LOG.error("plugin file {} refused: {}", file.getFileName(), reason);
        String name = file.getFileName().toString();
        refused.removeIf(v -> v.file().equals(name));
        refused.add(new PluginView(d == null ? null : d.getPluginId(), d == null ? null : d.getVersion(),
                d == null ? null : d.getProvider(), d == null ? null : d.getPluginDescription(),
                d == null ? null : d.getRequires(), "refused", name, reason, List.of(), List.of()));
    }

    // ---- lookups -----------------------------------------------------------------------------

    /** The extension of {@code kind} with {@code id}, if loaded and enabled. */
    @SuppressWarnings("unchecked")
    public synchronized <T extends RetrainerExtension> Optional<LoadedExtension<T>> find(ExtensionKind kind, String id) {
        return Optional.ofNullable((LoadedExtension<T>) byKindAndId.get(JarLoading.key(kind, id)));
    }

    /**
     * Like {@link #find}, and records that run {@code runId} uses the extension's plugin until
     * {@link #runEnded}: the plugin is then neither reloaded nor uninstalled under the run.
     */
    public synchronized <T extends RetrainerExtension> Optional<LoadedExtension<T>> findForRun(ExtensionKind kind, String id,
                                                                                           long runId, String pipeline) {
        Optional<LoadedExtension<T>> found = find(kind, id);
        found.ifPresent(e -> {
            if (!SYSTEM.equals(e.pluginId())) {
                runs.put(runId, new PluginUse(runId, pipeline));
                pluginsOfRun.computeIfAbsent(runId, r -> new LinkedHashSet<>()).add(e.pluginId());
            }
        });
        return found;
    }

    /** Run {@code runId} has ended: it no longer holds any plugin. */
    public synchronized void runEnded(long runId) {
        runs.remove(runId);
        pluginsOfRun.remove(runId);
    }

    /** The runs using plugin {@code pluginId} now, oldest first. */
    public synchronized List<PluginUse> usedBy(String pluginId) {
        List<PluginUse> out = new ArrayList<>();
        pluginsOfRun.forEach((run, ids) -> {
            if (ids.contains(pluginId)) {
                out.add(runs.get(run));
            }
        });
        return out;
    }

    /** The model loader for artifact {@code format}, if loaded. */
    public Optional<LoadedExtension<ModelLoader>> loaderFor(String format) {
        return find(ExtensionKind.MODEL_LOADER, format);
    }

    /** The ids of loaded, enabled extensions of {@code kind}, sorted. */
    public synchronized List<String> ids(ExtensionKind kind) {
        String prefix = kind.label() + "/";
        return byKindAndId.keySet().stream().filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length())).sorted().toList();
    }

    /**
     * Why no extension of {@code kind} called {@code id} is offered, when a loaded plugin has it
     * but is disabled; empty when no plugin has it at all (or it is offered).
     */
    public synchronized Optional<String> whyUnavailable(ExtensionKind kind, String id) {
        String key = JarLoading.key(kind, id);
        if (byKindAndId.containsKey(key)) {
            return Optional.empty();
        }
        String owner = owner(key);
        return owner != null && disabled.contains(owner)
                ? Optional.of(kind.label() + " '" + id + "' belongs to plugin " + owner + ", which is disabled (enable it to use it)")
                : Optional.empty();
    }

    /** Every plugin, started, disabled and refused, in that order, then by id. */
    public synchronized List<PluginView> plugins() {
        List<PluginView> out = new ArrayList<>();
        for (Installed i : installed.values()) {
            out.add(view(i));
        }
        out.addAll(refused);
        out.sort(Comparator.comparingInt((PluginView v) -> switch (v.state()) {
            case "started" -> 0;
            case "disabled" -> 1;
            default -> 2;
        }).thenComparing(v -> v.id() == null ? v.file() : v.id()));
        return out;
    }

    /** The plugin called {@code id}. */
    public synchronized Optional<PluginView> plugin(String id) {
        Installed i = installed.get(id);
        if (i != null) {
            return Optional.of(view(i));
        }
        return refused.stream().filter(v -> id.equals(v.id())).findFirst();
    }

    private PluginView view(Installed i) {
        JarLoading.Loaded p = i.plugin();
        return new PluginView(p.id(), p.version(), p.provider(), p.description(), p.requires(),
                disabled.contains(p.id()) ? "disabled" : "started", p.file() == null ? "" : p.file().getFileName().toString(),
                null, p.described(), usedBy(p.id()));
    }

    /** How many plugin jars are started and enabled. */
    public synchronized long startedCount() {
        return installed.values().stream().filter(i -> !i.system() && !disabled.contains(i.id())).count();
    }

    /** How many plugin jars were refused. */
    public synchronized long refusedCount() {
        return refused.size();
    }

    /** Calls {@code listener} after every change to the set of plugins (for metrics). */
    public void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    private void changed() {
        for (Runnable r : changeListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("plugin change listener failed: {}", e.getMessage());
            }
        }
    }

    // ---- management --------------------------------------------------------------------------

    /**
     * Stops offering plugin {@code id}'s extensions to new runs and pipelines; runs already using
     * them finish with them. Remembered across restarts.
     *
     * @throws NotFoundException if no plugin is called {@code id}
     * @throws ConflictException for the class-path extensions and refused plugins
     */
    public synchronized PluginView disable(String id) {
        Installed i = manageable(id, "disabled");
        if (disabled.add(id)) {
            unregister(id);
            writeDisabled();
            LOG.info("plugin {} disabled", id);
            changed();
        }
        return view(i);
    }

    /**
     * Offers plugin {@code id}'s extensions again.
     *
     * @throws NotFoundException if no plugin is called {@code id}
     * @throws ConflictException for the class-path extensions and refused plugins
     */
    public synchronized PluginView enable(String id) {
        Installed i = manageable(id, "enabled");
        if (disabled.remove(id)) {
            register(id, i.plugin().version(), i.plugin().extensions());
            writeDisabled();
            LOG.info("plugin {} enabled", id);
            changed();
        }
        return view(i);
    }

    /**
     * Loads plugin {@code id} again from its jar (which may have been replaced), without a
     * restart. The jar is checked first; if it fails, the loaded plugin stays as it was.
     *
     * @throws NotFoundException if no plugin is called {@code id}
     * @throws ConflictException naming the runs when runs are using it
     * @throws PluginRefusedException when the jar now fails a check
     */
    public synchronized PluginView reload(String id) {
        Installed i = manageable(id, "reloaded");
        requireUnused(id, "reloaded");
        Path file = i.plugin().file();
        if (!Files.exists(file)) {
            throw new ConflictException("plugin " + id + " cannot be reloaded: its jar " + file.getFileName()
                    + " is no longer in the plugins directory");
        }
        JarLoading.Loaded checked = check(file, id);
        if (!checked.id().equals(id)) {
            throw new PluginRefusedException(file.getFileName() + " now holds plugin '" + checked.id() + "', not '" + id
                    + "'; upload it as a new plugin instead");
        }
        unloadInstalled(id);
        if (!load(file)) {
            changed();
            throw new PluginRefusedException("plugin " + id + " could not be loaded again from " + file.getFileName()
                    + ": " + refused.get(refused.size() - 1).reason());
        }
        LOG.info("plugin {} reloaded from {}", id, file.getFileName());
        changed();
        return view(installed.get(id));
    }

    /**
     * Installs the plugin jar at {@code jar} (for instance an upload): checks it, copies it into
     * the plugins directory as {@code <id>-<version>.jar} and loads it, replacing an installed
     * plugin of the same id. A jar that fails a check leaves nothing behind.
     *
     * @throws PluginRefusedException with the reason when the jar fails a check
     * @throws ConflictException when a plugin of the same id is in use by runs
     */
    public synchronized PluginView install(Path jar) {
        if (jar.getFileName().toString().endsWith(".jar")) {
            return installJar(jar);
        }
        // PF4J recognises jars by their name; uploads arrive under random names.
        Path named = null;
        try {
            named = Files.createTempFile("retrainer-upload-", ".jar");
            Files.copy(jar, named, StandardCopyOption.REPLACE_EXISTING);
            return installJar(named);
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy the upload to check it: " + e.getMessage(), e);
        } finally {
            deleteQuietly(named);
        }
    }

    private PluginView installJar(Path jar) {
        // An upload may replace the plugin of the same id: that plugin's extension ids are not taken.
        JarLoading.Loaded checked = check(jar, JarLoading.manifestId(jar));
        String id = checked.id();
        Installed previous = installed.get(id);
        if (previous != null) {
            requireUnused(id, "replaced");
        }
        String version = checked.version() == null ? "0" : checked.version();
        Path target = pluginsDir.resolve(id + "-" + version.replaceAll("[^A-Za-z0-9._-]", "_") + ".jar");
        Path part = pluginsDir.resolve("." + target.getFileName() + ".part");
        try {
            Files.createDirectories(pluginsDir);
            Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(part);
            throw new IllegalStateException("cannot write the plugin into " + pluginsDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Path previousFile = previous == null ? null : previous.plugin().file();
        if (previous != null) {
            unloadInstalled(id);
        }
        Path backup = null;
        try {
            if (previousFile != null && previousFile.equals(target)) {
                // Same file name: keep the old jar aside until the new one has loaded.
                backup = pluginsDir.resolve("." + target.getFileName() + ".previous");
                move(previousFile, backup);
            }
            move(part, target);
        } catch (IOException e) {
            deleteQuietly(part);
            restore(backup, previousFile);
            throw new IllegalStateException("cannot move the plugin into " + pluginsDir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        if (!load(target)) {
            String reason = refused.get(refused.size() - 1).reason();
            refused.removeIf(v -> v.file().equals(target.getFileName().toString()));
            deleteQuietly(target);
            restore(backup, previousFile);
            changed();
            throw new PluginRefusedException(reason);
        }
        deleteQuietly(backup);
        if (previousFile != null && !previousFile.equals(target)) {
            deleteQuietly(previousFile);
        }
        LOG.info("plugin {} {} installed as {}{}", id, version, target.getFileName(),
                previous == null ? "" : " (replacing " + previous.plugin().version() + ")");
        changed();
        return view(installed.get(id));
    }

    /**
     * Unloads plugin {@code id} and deletes its jar (also for a refused jar that has an id).
     *
     * @throws NotFoundException if no plugin is called {@code id}
     * @throws ConflictException naming the runs when runs are using it, or for the class-path extensions
     */
    public synchronized void uninstall(String id) {
        Installed i = installed.get(id);
        if (i == null) {
            PluginView bad = refused.stream().filter(v -> id.equals(v.id())).findFirst()
                    .orElseThrow(() -> new NotFoundException("no plugin called '" + id + "'"));
            deleteQuietly(pluginsDir.resolve(bad.file()));
            refused.remove(bad);
            LOG.info("refused plugin {} uninstalled ({} deleted)", id, bad.file());
            changed();
            return;
        }
        manageable(id, "uninstalled");
        requireUnused(id, "uninstalled");
        unloadInstalled(id);
        deleteQuietly(i.plugin().file());
        if (disabled.remove(id)) {
            writeDisabled();
        }
        LOG.info("plugin {} uninstalled ({} deleted)", id, i.plugin().file().getFileName());
        changed();
    }

    private Installed manageable(String id, String what) {
        Installed i = installed.get(id);
        if (i == null) {
            Optional<PluginView> bad = refused.stream().filter(v -> id.equals(v.id())).findFirst();
            if (bad.isPresent()) {
                throw new ConflictException("plugin " + id + " was refused (" + bad.get().reason() + ") and cannot be " + what
                        + "; replace " + bad.get().file() + " and restart, upload a fixed jar, or uninstall it");
            }
            throw new NotFoundException("no plugin called '" + id + "'");
        }
        if (i.system()) {
            throw new ConflictException("the extensions on the host's class path ('" + SYSTEM + "') cannot be " + what);
        }
        return i;
    }

    private void requireUnused(String id, String what) {
        List<PluginUse> users = usedBy(id);
        if (!users.isEmpty()) {
            List<String> names = users.stream().map(PluginUse::toString).toList();
            throw new ConflictException("plugin " + id + " cannot be " + what + " while runs use it: " + String.join(", ", names)
                    + "; wait for them to finish or cancel them");
        }
    }

    /** Test-loads {@code jar} in a throw-away manager; {@code replacing}'s own ids do not count as taken. */
    private JarLoading.Loaded check(Path jar, String replacing) {
        try {
            return JarLoading.trial(jar, key -> {
                String owner = owner(key);
                return owner == null || owner.equals(replacing) ? null : owner;
            });
        } catch (JarLoading.Refused r) {
            LOG.warn("plugin jar {} refused: {}", jar.getFileName(), r.getMessage());
            throw new PluginRefusedException(r.getMessage());
        }
    }

    private void unloadInstalled(String id) {
        unregister(id);
        installed.remove(id);
        JarLoading.unload(manager, id);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void restore(Path backup, Path previousFile) {
        if (previousFile == null) {
            return;
        }
        try {
            if (backup != null && Files.exists(backup)) {
                move(backup, previousFile);
            }
            load(previousFile);
        } catch (IOException e) {
            LOG.error("could not put back {}: {}", previousFile.getFileName(), e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", p, e.getMessage());
        }
    }

    private Set<String> readDisabled() {
        Path f = pluginsDir.resolve(DISABLED_FILE);
        if (!Files.isRegularFile(f)) {
            return Set.of();
        }
        try {
            Set<String> out = new LinkedHashSet<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
            return out;
        } catch (IOException e) {
            LOG.error("cannot read {}: {} (all plugins start enabled)", f, e.getMessage());
            return Set.of();
        }
    }

    private void writeDisabled() {
        Path f = pluginsDir.resolve(DISABLED_FILE);
        try {
            if (disabled.isEmpty()) {
                Files.deleteIfExists(f);
            } else {
                List<String> lines = new ArrayList<>();
                lines.add("# Plugins disabled in Retrainer's console or API; they stay disabled after a restart.");
                lines.addAll(disabled);
                Files.write(f, lines, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            LOG.warn("cannot write {}: {} (the change holds until the platform stops)", f, e.getMessage());
        }
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

    private static String summary(List<ExtensionView> extensions) {
        List<String> parts = new ArrayList<>();
        for (ExtensionView v : extensions) {
            parts.add(String.join("+", v.kinds()) + " '" + v.id() + "'");
        }
        return String.join(", ", parts);
    }
}
