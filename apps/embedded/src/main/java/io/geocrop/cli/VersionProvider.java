package io.geocrop.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest (the Maven project version). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = GeoCropCli.class.getPackage().getImplementationVersion();
        return new String[] {"geocrop " + (v == null ? "development build" : v)};
    }
}
