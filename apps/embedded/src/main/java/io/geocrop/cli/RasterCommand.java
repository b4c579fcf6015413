package io.geocrop.cli;

import picocli.CommandLine.Command;

/** {@code geocrop raster}: GeoTIFF tools built on GeoCrop's own raster library. */
@Command(name = "raster", mixinStandardHelpOptions = true,
        description = "GeoTIFF tools on GeoCrop's raster library, to check it against your own files.",
        subcommands = {RasterInfoCommand.class, RasterCopyCommand.class, RasterBenchReadCommand.class})
final class RasterCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
