package io.retrainer.plugins.forest;

import java.util.concurrent.Callable;

/**
 * Runs Tribuo code with this plugin's class loader as the thread context class loader. Tribuo's
 * configuration and provenance library (OLCUT) and protobuf may resolve classes through the
 * context loader; under PF4J only the plugin's loader sees Tribuo, and a caller is not obliged to
 * have set it.
 */
final class PluginClassLoader {
    private PluginClassLoader() {
    }

    static <T> T call(Callable<T> work) throws Exception {
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
