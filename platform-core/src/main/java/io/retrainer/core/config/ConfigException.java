package io.retrainer.core.config;

/** A setting is malformed; the message names the setting, where it came from and what is wrong. */
public class ConfigException extends RuntimeException {
    /** Creates the exception. */
    public ConfigException(String message) {
        super(message);
    }
}
