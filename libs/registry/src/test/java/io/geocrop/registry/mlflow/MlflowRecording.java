package io.geocrop.registry.mlflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request/response pair recorded from MLflow 2.10.2 ({@code shared/data/mlflow-2.10.2/NN_*.txt}, format in its
 * README): {@code ### METHOD path?query}, an optional {@code ### request body:} (JSON) or
 * {@code ### request body (from file <local-file>} (raw bytes), the {@code curl -v} transcript (status line and
 * response headers) and {@code ### response body:}. Each section ends with one separating newline.
 */
public record MlflowRecording(String file, String method, String path, String rawQuery, byte[] requestBody,
                              boolean requestBodyIsJson, String requestContentType, int status,
                              String responseContentType, byte[] responseBody) {

    private static final Pattern REQUEST_LINE = Pattern.compile("\\A### (GET|POST|PUT|DELETE|PATCH) (\\S+)\n");
    private static final Pattern STATUS = Pattern.compile("^< HTTP/1\\.1 (\\d{3}) ", Pattern.MULTILINE);
    private static final Pattern RESPONSE_TYPE = Pattern.compile("^< Content-Type: (.+)$", Pattern.MULTILINE);
    private static final Pattern REQUEST_TYPE = Pattern.compile("^> Content-Type: (.+)$", Pattern.MULTILINE);
    private static final String JSON_BODY = "### request body:\n";
    private static final String FILE_BODY = "### request body (from file <local-file>\n";
    private static final String TRANSCRIPT = "### curl -v transcript:\n";
    private static final String RESPONSE = "### response body:\n";

    /** The folder of recordings: {@code <geocrop.shared.data>/mlflow-2.10.2}. */
    public static Path directory() {
        String shared = System.getProperty("geocrop.shared.data");
        if (shared == null) {
            throw new IllegalStateException("system property geocrop.shared.data is not set (the root pom sets it)");
        }
        return Path.of(shared, "mlflow-2.10.2");
    }

    /** Reads one recording, e.g. {@code 03_runs_create.txt}. */
    public static MlflowRecording load(String file) {
        String text;
        try {
            text = Files.readString(directory().resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher line = REQUEST_LINE.matcher(text);
        if (!line.find()) {
            throw new IllegalArgumentException(file + ": no request line");
        }
        String target = line.group(2);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        int transcript = text.indexOf(TRANSCRIPT);
        int response = text.indexOf(RESPONSE);
        if (transcript < 0 || response < 0) {
            throw new IllegalArgumentException(file + ": no transcript or response section");
        }
        byte[] requestBody = null;
        boolean json = false;
        int jsonAt = text.indexOf(JSON_BODY);
        int fileAt = text.indexOf(FILE_BODY);
        if (jsonAt >= 0 && jsonAt < transcript) {
            requestBody = section(text, jsonAt + JSON_BODY.length(), transcript);
            json = true;
        } else if (fileAt >= 0 && fileAt < transcript) {
            requestBody = section(text, fileAt + FILE_BODY.length(), transcript);
        }
        String curl = text.substring(transcript, response);
        Matcher status = STATUS.matcher(curl);
        if (!status.find()) {
            throw new IllegalArgumentException(file + ": no status line");
        }
        Matcher responseType = RESPONSE_TYPE.matcher(curl);
        Matcher requestType = REQUEST_TYPE.matcher(curl);
        return new MlflowRecording(file, line.group(1), path, query, requestBody, json,
                requestType.find() ? requestType.group(1).strip() : null, Integer.parseInt(status.group(1)),
                responseType.find() ? responseType.group(1).strip() : "application/json",
                section(text, response + RESPONSE.length(), text.length()));
    }

    /** The text from {@code start} to {@code end} without the one newline that separates sections. */
    private static byte[] section(String text, int start, int end) {
        String s = text.substring(start, end);
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return file + " (" + method + " " + path + (rawQuery == null ? "" : "?" + rawQuery) + " -> " + status
                + ", request body " + (requestBody == null ? "none" : requestBody.length + " bytes") + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlflowRecording r && r.file.equals(file);
    }

    @Override
    public int hashCode() {
        return file.hashCode() ^ Arrays.hashCode(responseBody);
    }
}
