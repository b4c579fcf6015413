package io.geocrop.platform.security;

import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.context.exceptions.DependencyInjectionException;
import io.micronaut.runtime.Micronaut;

/**
 * A configuration that would open a door (for example a cluster without an API key): the process refuses to start.
 * {@link #exitQuietly(Micronaut)} makes a function's {@code main} print the one-line reason and exit with status 2
 * instead of Micronaut's stack trace.
 */
public final class UnsafeConfigurationException extends RuntimeException {
    public UnsafeConfigurationException(String message) {
        super(message);
    }

    /** Registers the quiet exit on a Micronaut builder; returns it for chaining. */
    public static Micronaut exitQuietly(Micronaut builder) {
        builder.mapError(BeanInstantiationException.class, UnsafeConfigurationException::exitIfUnsafe);
        builder.mapError(DependencyInjectionException.class, UnsafeConfigurationException::exitIfUnsafe);
        builder.mapError(UnsafeConfigurationException.class, UnsafeConfigurationException::exitIfUnsafe);
        return builder;
    }

    private static Integer exitIfUnsafe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnsafeConfigurationException unsafe) {
                System.err.println("geocrop: refusing to start: " + unsafe.getMessage());
                System.err.flush();
                Runtime.getRuntime().halt(2);
            }
        }
        return 1;
    }
}
