package io.geocrop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code geocrop submit}: sends a job to a running GeoCrop and prints it. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submits a crop-mapping job for a circle around (lon, lat) and a season year to a running GeoCrop.")
final class SubmitCommand implements Callable<Integer> {
    @Mixin
    AoiOptions aoi;

    @Option(names = "--server", defaultValue = "${GEOCROP_SERVER:-http://localhost:8080}",
            description = "GeoCrop API base URL (default: $GEOCROP_SERVER or ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--api-key", defaultValue = "${GEOCROP_INGRESS_API_KEY}", description = "API key, if the server needs one.")
    String apiKey;

    @Override
    public Integer call() throws Exception {
        // The server checks the request by its own rules (they may be configured otherwise than the defaults).
        JsonNode job = new ApiClient(server).post("jobs", aoi.jobBody().toString(), apiKey);
        System.out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(job));
        return 0;
    }
}
