package io.geocrop.e2e.recorder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JVM's system class loader for a recorded function run ({@code -Djava.system.class.loader}): it defines every
 * class of the function's jar ({@code geocrop.recorder.jar}) itself, so every classpath resource lookup of the
 * function, whether through {@code Class.getResource*}, {@code ClassLoader.getResource*}, the context class loader or
 * {@code ServiceLoader}, reaches {@link #findResource} or {@link #findResources}. Each resource name found in the jar
 * is appended, once, to {@code geocrop.recorder.out} as it is found (a kill -9 loses nothing already written).
 * Class loading does not pass through these methods ({@code findClass} reads the jar directly), so only resources
 * are recorded; classes are logged by the JVM's {@code -Xlog:class+load}.
 *
 * <p>Lives in e2e's tests and is copied alone onto the child JVM's class path, so the parent loader holds nothing
 * but these two classes.
 */
public final class ResourceRecordingClassLoader extends URLClassLoader {
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final BufferedWriter out;

    static {
        ClassLoader.registerAsParallelCapable();
    }

    /** The constructor the JVM calls for {@code -Djava.system.class.loader}. */
    public ResourceRecordingClassLoader(ClassLoader parent) throws IOException {
        super(new URL[] {Path.of(required("geocrop.recorder.jar")).toUri().toURL()}, parent);
        out = Files.newBufferedWriter(Path.of(required("geocrop.recorder.out")), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("set -D" + property);
        }
        return value;
    }

    @Override
    public URL findResource(String name) {
        URL url = super.findResource(name);
        if (url != null) {
            record(name);
        }
        return url;
    }

    @Override
    public Enumeration<URL> findResources(String name) throws IOException {
        Enumeration<URL> urls = super.findResources(name);
        if (urls.hasMoreElements()) {
            record(name);
        }
        return urls;
    }

    private void record(String name) {
        if (seen.add(name)) {
            synchronized (out) {
                try {
                    out.write(name);
                    out.newLine();
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    // Lets -javaagent and the launcher's own lookups work unchanged (the JDK asks a custom system loader for this).
    @SuppressWarnings("unused")
    private void appendToClassPathForInstrumentation(String path) throws IOException {
        addURL(Path.of(path).toUri().toURL());
    }
}
