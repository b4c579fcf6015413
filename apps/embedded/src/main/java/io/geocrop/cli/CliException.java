package io.geocrop.cli;

/** A command failed for a reason the user can fix; the message is printed as is. */
class CliException extends RuntimeException {
    private final int exitCode;

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
