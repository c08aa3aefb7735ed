package io.retrainer.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** bin/retrainer as a user runs it: bad settings and an unreachable database end in one clear line and exit 2. */
class CommandLineIT {

    record Result(int exit, String out) {
    }

    static Result run(String... args) throws Exception {
        Path dir = Files.createTempDirectory("retrainer-cli");
        List<String> cmd = new java.util.ArrayList<>(List.of(Installation.HOME.resolve("bin/retrainer").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/retrainer " + String.join(" ", args) + " did not exit");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void unreachableDatabaseIsOneLineAndExitTwo() throws Exception {
        Result r = run("--port", "0", "--db-url", "postgresql://retrainer@127.0.0.1:1/nowhere");
        assertEquals(2, r.exit(), r.out());
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("retrainer: cannot connect to database postgresql://retrainer@127.0.0.1:1/nowhere: "),
                r.out());
        assertFalse(r.out().contains("\tat "), "no stack trace");
    }

    @Test
    void wrongDatabaseNameIsOneLine() throws Exception {
        Result r = run("--port", "0", "--db-url", "postgresql://postgres@127.0.0.1:5432/no_such_database_here");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("no_such_database_here"), r.out());
        assertEquals(1, r.out().lines().filter(l -> !l.isBlank()).count(), r.out());
    }

    @Test
    void badOptionsSayWhichAndExitTwo() throws Exception {
        Result r = run("--port", "eighty");
        assertEquals(2, r.exit());
        assertEquals("retrainer: option --port: port must be a whole number, got 'eighty'", r.out().strip());
        Result help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--db-url URL"), help.out());
    }
}
