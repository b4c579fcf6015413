package io.geocrop.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Where a command's log lines go. The terminal is kept for a command's own progress bars and results, so every
 * command but the servers ({@code serve}, {@code broker}) logs to {@code <home>/logs/geocrop.log} (logback-cli.xml,
 * rolling at 10 MB, five files kept) and, if anything was logged at WARN or above, says so in one line at the end.
 * {@code --verbose} keeps today's console logging (logback.xml).
 */
final class CliLogging implements AutoCloseable {
    private static final String CONFIG = "logback-cli.xml";

    private final LoggerContext context;
    private final Path file;

    private CliLogging(LoggerContext context, Path file) {
        this.context = context;
        this.file = file;
    }

    /** The log file of a home. */
    static Path logFile(Path home) {
        return home.resolve("logs").resolve("geocrop.log");
    }

    /**
     * Sends logging to {@code <home>/logs/geocrop.log} until {@link #close}; empty (logging unchanged) when logback
     * is not the SLF4J backend or the file cannot be created, since a command must not fail for want of a log file.
     */
    static Optional<CliLogging> toFile(Path home) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return Optional.empty();
        }
        URL config = CliLogging.class.getClassLoader().getResource(CONFIG);
        Path file = logFile(home);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (config == null) {
            return Optional.empty();
        }
        WarningCounter.reset();
        configure(context, () -> {
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(context);
            context.putProperty("GEOCROP_LOG_FILE", file.toString());
            long since = System.currentTimeMillis();
            joran.doConfigure(config);
            // A broken configuration must not silently swallow every log line: say so (only about this one).
            new StatusPrinter2().printInCaseOfErrorsOrWarnings(context, since);
        });
        return Optional.of(new CliLogging(context, file));
    }

    /** One line about the warnings and errors logged during the command, if there were any. */
    void summarise(PrintWriter err) {
        int warnings = WarningCounter.warnings;
        int errors = WarningCounter.errors;
        if (warnings + errors == 0) {
            return;
        }
        StringBuilder line = new StringBuilder("geocrop: ");
        if (errors > 0) {
            line.append(errors).append(errors == 1 ? " error" : " errors");
        }
        if (warnings > 0) {
            line.append(errors > 0 ? " and " : "").append(warnings).append(warnings == 1 ? " warning" : " warnings");
        }
        line.append(" logged in ").append(file).append(" (--verbose shows them here); last: ").append(WarningCounter.last);
        err.println(line);
        err.flush();
    }

    /** Back to the default configuration (logback.xml, or logback-test.xml in tests). */
    @Override
    public void close() {
        configure(context, () -> new ContextInitializer(context).autoConfig());
    }

    private interface Configuration {
        void apply() throws JoranException;
    }

    private static void configure(LoggerContext context, Configuration configuration) {
        context.reset();
        try {
            configuration.apply();
        } catch (JoranException e) {
            // logback's status listener has already reported it; logging falls back to its basic console output.
        }
    }

    /** Counts WARN and ERROR events and keeps the last one's first line, for {@link #summarise}. */
    public static final class WarningCounter extends AppenderBase<ILoggingEvent> {
        static volatile int warnings;
        static volatile int errors;
        static volatile String last = "";

        static synchronized void reset() {
            warnings = 0;
            errors = 0;
            last = "";
        }

        @Override
        protected synchronized void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
                errors++;
            } else if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
                warnings++;
            } else {
                return;
            }
            String message = String.valueOf(event.getFormattedMessage()).lines().findFirst().orElse("");
            last = message.length() > 160 ? message.substring(0, 157) + "..." : message;
        }
    }
}
