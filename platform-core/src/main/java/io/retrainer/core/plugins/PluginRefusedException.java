package io.retrainer.core.plugins;

import io.retrainer.core.InvalidInputException;
import java.util.List;

/**
 * A plugin jar (uploaded, or on disk and asked to reload) failed the checks made before it is
 * activated: manifest, API range, extension classes, ids. Nothing of it was kept. Maps to HTTP 400.
 */
public final class PluginRefusedException extends InvalidInputException {
    private final String reason;

    /** Creates the exception; {@code reason} is one line saying what is wrong with the jar. */
    public PluginRefusedException(String reason) {
        super(List.of(reason));
        this.reason = reason;
    }

    /** Why the jar was refused. */
    public String reason() {
        return reason;
    }
}
