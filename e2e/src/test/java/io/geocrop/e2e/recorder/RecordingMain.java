package io.geocrop.e2e.recorder;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.jar.JarFile;

/**
 * Starts the function jar's {@code Main-Class} through the recording system class loader, as {@code java -jar} would
 * (arguments passed on).
 */
public final class RecordingMain {
    private RecordingMain() {
    }

    /** Runs the main class named by the jar's manifest. */
    public static void main(String[] args) throws Exception {
        String mainClass;
        try (JarFile jar = new JarFile(Path.of(System.getProperty("geocrop.recorder.jar")).toFile())) {
            mainClass = jar.getManifest().getMainAttributes().getValue("Main-Class");
        }
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        if (!(loader instanceof ResourceRecordingClassLoader)) {
            throw new IllegalStateException("run with -Djava.system.class.loader=" + ResourceRecordingClassLoader.class.getName());
        }
        Thread.currentThread().setContextClassLoader(loader);
        Method main = Class.forName(mainClass, true, loader).getMethod("main", String[].class);
        main.invoke(null, (Object) args);
    }
}
