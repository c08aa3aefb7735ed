package io.retrainer.core.plugins;

import io.retrainer.api.RetrainerExtension;
import java.util.concurrent.Callable;

/**
 * An extension instance with the plugin it came from. Calls into plugin code go through
 * {@link #call(Callable)} so the plugin's class loader is the thread's context class loader, as
 * libraries inside plugins (serialisation, service loaders) expect.
 *
 * @param extension the instance
 * @param kind the extension point it is found under
 * @param pluginId the PF4J plugin id, or {@code system} for extensions on the host's class path
 * @param pluginVersion the plugin version
 */
public record LoadedExtension<T extends RetrainerExtension>(T extension, ExtensionKind kind, String pluginId,
                                                           String pluginVersion) {

    /** Runs {@code work} with the plugin's class loader as context class loader. */
    public <R> R call(Callable<R> work) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(extension.getClass().getClassLoader());
        try {
            return work.call();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** The extension's id. */
    public String id() {
        return extension.id();
    }
}
