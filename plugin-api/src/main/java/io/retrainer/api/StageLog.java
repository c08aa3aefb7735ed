package io.retrainer.api;

/** Writes lines to the stage's log, which the console shows and the database keeps. */
public interface StageLog {
    /** A normal progress line. */
    void info(String message);

    /** Something an operator should look at; the stage goes on. */
    void warn(String message);

    /** An error the plugin handled itself. */
    void error(String message);
}
