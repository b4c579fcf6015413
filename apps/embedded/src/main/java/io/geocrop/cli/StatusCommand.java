package io.geocrop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code geocrop status}: one job, or the recent jobs. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a job's state and progress, or the recent jobs.")
final class StatusCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "JOB_ID", description = "The job id; omit to list recent jobs.")
    String jobId;

    @Option(names = "--server", defaultValue = "${GEOCROP_SERVER:-http://localhost:8080}",
            description = "GeoCrop API base URL (default: $GEOCROP_SERVER or ${DEFAULT-VALUE}).")
    String server;

    @Override
    public Integer call() throws Exception {
        ApiClient api = new ApiClient(server);
        var body = jobId == null ? api.get("jobs") : api.get("jobs/" + jobId);
        System.out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        return 0;
    }
}
