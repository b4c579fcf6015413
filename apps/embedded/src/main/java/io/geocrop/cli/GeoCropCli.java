package io.geocrop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code geocrop} command line; {@code ./geocrop --help} lists the commands. */
@Command(name = "geocrop", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Crop-type maps of Zimbabwe from Sentinel-2 imagery.",
        subcommands = {ServeCommand.class, ClassifyCommand.class, SubmitCommand.class, StatusCommand.class, FeaturesCommand.class, ScoreCommand.class, FeaturesBenchCommand.class, TrainCommand.class, ModelsCommand.class, RasterCommand.class, BaselinesCommand.class, BrokerCommand.class, CommandLine.HelpCommand.class})
public final class GeoCropCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with GeoCrop's error handling: a failed command prints one clear line, not a stack trace. */
    public static CommandLine commandLine() {
        return new CommandLine(new GeoCropCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println(cmd.getColorScheme().errorText("geocrop: " + e.getMessage()));
                    return e instanceof CliException c ? c.exitCode() : 1;
                });
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || !ServeCommand.isServing()) {
            System.exit(code);
        }
    }
}
