package io.geocrop.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/** The {@code geocrop} command line; {@code ./geocrop --help} lists the commands. */
@Command(name = "geocrop", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Crop-type maps of Zimbabwe from Sentinel-2 imagery.",
        subcommands = {ServeCommand.class, ClassifyCommand.class, SubmitCommand.class, StatusCommand.class, FeaturesCommand.class, ScoreCommand.class, FeaturesBenchCommand.class, TrainCommand.class, ModelsCommand.class, RasterCommand.class, BaselinesCommand.class, BrokerCommand.class, CommandLine.HelpCommand.class})
public final class GeoCropCli implements Runnable {
    /** Servers: their log is their output, so it stays on the console. */
    private static final Set<String> CONSOLE_LOGGING = Set.of("serve", "broker");
    /** Commands that open the home's embedded database, which one process at a time may hold. */
    private static final Set<String> USE_HOME_DATABASE = Set.of("serve", "classify", "score");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Log to the terminal too (otherwise to <home>/logs/geocrop.log).")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with GeoCrop's error handling: a failed command prints one clear line, not a stack trace. */
    public static CommandLine commandLine() {
        return new CommandLine(new GeoCropCli())
                .setExecutionStrategy(GeoCropCli::execute)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println(cmd.getColorScheme().errorText("geocrop: " + oneLine(e, parsed)));
                    return e instanceof CliException c ? c.exitCode() : 1;
                });
    }

    /**
     * Runs the chosen command with its logging set up (a file under the home unless it is a server or
     * {@code --verbose}) and, for the commands that open the embedded database, the home's {@link HomeLock}.
     */
    private static int execute(ParseResult parsed) {
        ParseResult last = parsed;
        boolean verbose = parsed.hasMatchedOption("--verbose");
        boolean help = parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested();
        while (last.hasSubcommand()) {
            last = last.subcommand();
            verbose |= last.hasMatchedOption("--verbose");
            help |= last.isUsageHelpRequested() || last.isVersionHelpRequested();
        }
        CommandLine.RunLast run = new CommandLine.RunLast();
        String command = parsed.hasSubcommand() ? parsed.subcommand().commandSpec().name() : "help";
        if (help || "help".equals(command)) {
            return run.execute(parsed);
        }
        Path home = home(last);
        CommandLine cli = last.commandSpec().commandLine();
        HomeLock lock = null;
        Optional<CliLogging> logging = Optional.empty();
        try {
            if (USE_HOME_DATABASE.contains(command) && CliStorage.env("GEOCROP_DB_URL", null) == null) {
                try {
                    lock = HomeLock.acquire(home, command);
                } catch (CliException busy) {
                    // classify on a home a running server holds: the job goes to that server over its API.
                    if (!(last.commandSpec().userObject() instanceof ClassifyCommand classify)) {
                        throw busy;
                    }
                    classify.server = runningServer(home).orElseThrow(() -> busy);
                }
                if ("serve".equals(command)) {
                    ServeCommand.homeLock = lock;
                }
            }
            if (!verbose && !CONSOLE_LOGGING.contains(command)) {
                logging = CliLogging.toFile(home);
            }
            return run.execute(parsed);
        } catch (CliException e) {
            throw new CommandLine.ExecutionException(cli, e.getMessage(), e);
        } finally {
            logging.ifPresent(l -> {
                l.summarise(cli.getErr());
                l.close();
            });
            // serve keeps its lock for the life of the server: its JVM goes on after the command returns.
            if (lock != null && !"serve".equals(command)) {
                try {
                    lock.close();
                } catch (java.io.IOException e) {
                    // Released with the process anyway.
                }
            }
        }
    }

    /**
     * The URL of the {@code ./geocrop serve} that holds {@code home} and answers {@code GET /health} (a server that
     * is starting gets half a minute to announce itself); empty when the holder is something else or does not answer.
     */
    private static Optional<String> runningServer(Path home) {
        return HomeLock.serverUrl(home, java.time.Duration.ofSeconds(30))
                .filter(url -> new ApiClient(url, java.time.Duration.ofSeconds(10)).alive());
    }

    /** The command's {@code --home}, else $GEOCROP_HOME, else ~/.geocrop. */
    private static Path home(ParseResult last) {
        ArgSpec option = last.matchedOption("--home");
        Object value = option == null ? null : option.getValue();
        return CliStorage.home(value instanceof Path p ? p : value == null ? null : Path.of(value.toString()));
    }

    /**
     * The error in one line: H2's "file is locked" (another process, not started by this CLI, holds the database)
     * becomes what to do about it; GeoCrop's own {@link CliException}s are written for the user and print whole (a
     * labels file's bad rows, one per line); other messages keep their first line, never a stack trace.
     */
    private static String oneLine(Exception e, ParseResult parsed) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("Database may be already in use") || m.contains("file is locked")) {
                ParseResult last = parsed;
                while (last.hasSubcommand()) {
                    last = last.subcommand();
                }
                return "the database in " + home(last).resolve("db") + " is in use by another process (is ./geocrop serve"
                        + " running?); stop it, or pass --home <another directory>";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CliException own) {
                return String.valueOf(own.getMessage());
            }
        }
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || !ServeCommand.isServing()) {
            System.exit(code);
        }
    }
}
