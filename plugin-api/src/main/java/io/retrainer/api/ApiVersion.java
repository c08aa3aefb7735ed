package io.retrainer.api;

/**
 * The version of this SPI. The host uses it as PF4J's system version, so a plugin's
 * {@code Plugin-Requires} range is checked against it, and it refuses any plugin whose range
 * does not admit this version (for instance one built for another major version).
 *
 * <p>Compatibility policy: a patch release changes no signature; a minor release may add types
 * and default methods; only a major release removes or changes anything. A plugin built for
 * {@code 1.x} should declare {@code Plugin-Requires: >=1.0.0 & <2.0.0}.
 */
public final class ApiVersion {
    /** The semantic version of this SPI. */
    public static final String CURRENT = "1.1.0";
    /** The major part of {@link #CURRENT}. */
    public static final int MAJOR = 1;

    private ApiVersion() {
    }
}
