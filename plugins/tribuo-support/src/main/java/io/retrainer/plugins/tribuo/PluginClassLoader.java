package io.retrainer.plugins.tribuo;

import java.util.concurrent.Callable;

/**
 * Runs Tribuo code with this plugin's class loader as the thread context class loader. Tribuo's
 * configuration and provenance library (OLCUT) and protobuf may resolve classes through the
 * context loader; under PF4J only the plugin's loader sees Tribuo, and a caller is not obliged to
 * have set it.
 *
 * <p>"This plugin's class loader" is the loader of this class: every plugin bundles its own copy
 * of this library (shaded into its jar), so under PF4J it is the calling plugin's loader.
 */
public final class PluginClassLoader {
    private PluginClassLoader() {
    }

    /** Runs {@code work} with this plugin's loader as context class loader, then restores the caller's. */
    public static <T> T call(Callable<T> work) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(PluginClassLoader.class.getClassLoader());
        try {
            return work.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
