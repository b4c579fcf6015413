package io.geocrop.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the images the Gitea workflows run in provide, and the rules of Gitea's act runner (Docker mode) that decide
 * whether a job can start at all: act starts each job's container (the runs-on label's image, or {@code container:})
 * with the entrypoint {@code /bin/sleep} and runs every {@code run:} step through a shell inside it, and
 * {@code uses:} JavaScript actions with node inside it. A {@code docker://} step runs its own image with that image's
 * entrypoint. Kept by hand from the images' documentation and manifests; docs/deploy.md shows the same table.
 */
final class RunnerImages {
    /** One image: what act needs from it and the tools a run step may call in it. */
    record Image(String reference, boolean binSleep, String shell, boolean node, String entrypoint, Set<String> tools) {}

    /** The runner labels the workflows use, as the stock act runner maps them (act_runner generate-config). */
    static final Map<String, String> LABELS = Map.of("ubuntu-latest", "docker.gitea.com/runner-images:ubuntu-latest");

    private static final Set<String> UBUNTU_TOOLS = Set.of("bash", "sh", "sleep", "git", "tar", "gzip", "curl", "wget",
            "node", "npm", "base64", "awk", "sed", "grep", "tr", "cut", "head", "tail", "sort", "cat", "mkdir", "rm", "mv",
            "cp", "ls", "mktemp", "chmod", "sha256sum", "date", "env", "xargs", "find", "jq", "docker");

    /** Every image a workflow may run a job or a step in, by reference without tag or digest. */
    static final Map<String, Image> IMAGES = Map.of(
            "docker.gitea.com/runner-images",
            new Image("docker.gitea.com/runner-images:ubuntu-latest", true, "bash", true, null, UBUNTU_TOOLS),
            // Kaniko's executor (and its -debug variant): no /bin/sleep (the debug image's busybox is under /busybox),
            // so act cannot start it as a job container; as a docker:// step its entrypoint is the executor.
            "gcr.io/kaniko-project/executor",
            new Image("gcr.io/kaniko-project/executor:v1.23.2-debug", false, "/busybox/sh", false, "/kaniko/executor",
                    Set.of("/kaniko/executor")));

    /** Shell words that are not programs: keywords and the builtins of bash. */
    static final Set<String> SHELL_WORDS = Set.of("if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while",
            "until", "case", "esac", "function", "!", "{", "}", "[[", "]]", "echo", "printf", "test", "[", "exit", "set",
            "export", "cd", "local", "read", "return", "true", "false", "shift", ":", "eval", "exec", "source", ".",
            "unset", "trap", "wait", "break", "continue", "declare", "readonly", "umask", "type", "command");

    static final List<String> CHECKED_OUT_SCRIPTS = List.of(".gitea/scripts/", ".ci/");

    private RunnerImages() {}

    /** The image for a reference (tag and digest ignored), or null if the table does not know it. */
    static Image lookup(String reference) {
        return IMAGES.get(Kustomize.imageName(reference));
    }
}
