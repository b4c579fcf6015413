package io.geocrop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code geocrop submit}: sends a job to a running GeoCrop and prints it. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submits a crop-mapping job for a circle around (lon, lat) and a season year to a running GeoCrop.")
final class SubmitCommand implements Callable<Integer> {
    @Option(names = "--lon", required = true, description = "Centre longitude, WGS84 degrees (Zimbabwe: 25.2..33.1).")
    double lon;

    @Option(names = "--lat", required = true, description = "Centre latitude, WGS84 degrees (Zimbabwe: -22.5..-15.6).")
    double lat;

    @Option(names = {"--radius", "--radius-m"}, required = true, description = "Radius in metres (100..10000).")
    double radiusM;

    @Option(names = "--year", required = true, description = "Season year Y: Y-09-01 to Y+1-05-31, from 2017.")
    int year;

    @Option(names = "--server", defaultValue = "${GEOCROP_SERVER:-http://localhost:8080}",
            description = "GeoCrop API base URL (default: $GEOCROP_SERVER or ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--api-key", defaultValue = "${GEOCROP_INGRESS_API_KEY}", description = "API key, if the server needs one.")
    String apiKey;

    @Override
    public Integer call() throws Exception {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("lon", lon).put("lat", lat).put("radius_m", radiusM).put("year", year);
        JsonNode job = new ApiClient(server).post("jobs", body.toString(), apiKey);
        System.out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(job));
        return 0;
    }
}
