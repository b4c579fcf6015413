package io.geocrop.e2e;

import io.geocrop.e2e.recorder.RecordingMain;
import io.geocrop.e2e.recorder.ResourceRecordingClassLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * While {@link #recordInto} is in force, every {@link FunctionProcess} started runs its jar under
 * {@link ResourceRecordingClassLoader} (each classpath resource it finds, to {@code <name>-resources.txt}) and the JVM's
 * own logging of loaded classes and native libraries ({@code -Xlog:class+load}, {@code -Xlog:library}, to
 * {@code <name>-jvm.log}). Read by {@link NativeResourceCoverageE2eTest}.
 */
final class LoadRecording {
    private static volatile Path dir;

    private LoadRecording() {
    }

    /** Records the loads of processes started from now on into {@code directory} (null: stop recording). */
    static void recordInto(Path directory) {
        dir = directory;
    }

    static boolean enabled() {
        return dir != null;
    }

    static Path resources(Path directory, String function) {
        return directory.resolve(function + "-resources.txt");
    }

    static Path jvmLog(Path directory, String function) {
        return directory.resolve(function + "-jvm.log");
    }

    /** The command that runs {@code jar} as {@code java -jar} would, recorded. */
    static List<String> command(String function, Path jar) {
        Path directory = dir;
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.system.class.loader=" + ResourceRecordingClassLoader.class.getName(),
                "-Dgeocrop.recorder.jar=" + jar,
                "-Dgeocrop.recorder.out=" + resources(directory, function),
                "-Xlog:class+load=info,library=info:file=" + jvmLog(directory, function) + ":uptime,tags",
                "-cp", recorderClasspath(directory).toString(),
                RecordingMain.class.getName());
    }

    /** The two recorder classes alone, so the parent of the recording loader finds nothing of the test's. */
    private static Path recorderClasspath(Path directory) {
        Path root = directory.resolve("recorder-classes");
        try {
            for (Class<?> type : List.of(ResourceRecordingClassLoader.class, RecordingMain.class)) {
                String file = type.getName().replace('.', '/') + ".class";
                Path target = root.resolve(file);
                Files.createDirectories(target.getParent());
                try (InputStream in = type.getClassLoader().getResourceAsStream(file)) {
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }
}
