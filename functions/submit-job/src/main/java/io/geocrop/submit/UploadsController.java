package io.geocrop.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.platform.problem.ProblemException;
import io.geocrop.storage.Bucket;
import io.geocrop.storage.ObjectInfo;
import io.geocrop.storage.ObjectKeys;
import io.geocrop.storage.ObjectStore;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Scoring on upload over plain HTTP, for browsers: {@code PUT /uploads/{name}} stores the body (a feature GeoTIFF) at
 * {@code geocrop-features/uploads/<name>.tif} through the object store, whose object-created notification (MinIO's in
 * a cluster, the local store's when embedded) makes score-tile score it, exactly as an upload with an S3 client
 * would. {@code GET /uploads/{name}} says where it stands: {@code scoring}, {@code scored} (with the hectares per
 * class and the map layers) or {@code failed} (with the reason score-tile wrote in {@code <name>.error.json});
 * {@code GET /uploads/{name}/result} downloads the result COG.
 *
 * <p>Names are 1 to 64 letters, digits or '-' (they become map layer ids). The body is streamed to a temporary file,
 * never held in memory, and refused past {@code geocrop.ingress.max-upload-bytes}. Writes are guarded like job
 * submissions ({@link WriteProtectionFilter}: API key, rate limit).
 */
@Controller("/uploads")
@Tag(name = "uploads")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class UploadsController {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final long maxBytes;

    UploadsController(ObjectStore store, @Value("${geocrop.ingress.max-upload-bytes:536870912}") long maxBytes) {
        this.store = store;
        this.maxBytes = maxBytes;
    }

    @Operation(summary = "Upload a 51-band feature GeoTIFF to be scored (stored at geocrop-features/uploads/<name>.tif)")
    @Put(value = "/{name}", consumes = {"image/tiff", MediaType.APPLICATION_OCTET_STREAM}, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<Map<String, Object>> upload(@PathVariable String name, @Body InputStream body) {
        requireName(name);
        Path temp = null;
        try {
            temp = Files.createTempFile("geocrop-upload", ".tif");
            long size = copyAtMost(body, temp);
            if (size == 0) {
                throw ProblemException.badField("body", "the upload is empty; send the feature GeoTIFF as the body");
            }
            store.put(Bucket.FEATURES, uploadKey(name), temp, "image/tiff");
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", name);
            view.put("upload", Bucket.FEATURES.bucketName() + "/" + uploadKey(name));
            view.put("size", size);
            view.put("state", "scoring");
            view.put("links", Map.of("self", "/uploads/" + name));
            return HttpResponse.accepted().body(view);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot receive the upload " + name + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover temporary file; the OS cleans the temp folder
                }
            }
        }
    }

    @Operation(summary = "Where an upload stands: scoring, scored (areas, map layers) or failed (the reason)")
    @Get(value = "/{name}", produces = MediaType.APPLICATION_JSON)
    public Map<String, Object> status(@PathVariable String name) throws IOException {
        requireName(name);
        Optional<ObjectInfo> upload = store.head(Bucket.FEATURES, uploadKey(name));
        Optional<ObjectInfo> summary = store.head(Bucket.RESULTS, resultBase(name) + ".summary.json");
        Optional<ObjectInfo> error = store.head(Bucket.RESULTS, resultBase(name) + ".error.json");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("upload", Bucket.FEATURES.bucketName() + "/" + uploadKey(name));
        if (upload.isEmpty() && summary.isEmpty() && error.isEmpty()) {
            throw notFound("there is no upload named '" + name + "'");
        }
        // An outcome older than the upload belongs to an earlier file of the same name: the new one is being scored.
        if (summary.isPresent() && isCurrent(summary.get(), upload)) {
            view.put("state", "scored");
            view.put("summary", read(resultBase(name) + ".summary.json"));
            view.put("layers", Map.of("class", "upload-" + name + "-class", "confidence", "upload-" + name + "-confidence"));
            view.put("links", Map.of("self", "/uploads/" + name, "cog", "/uploads/" + name + "/result"));
        } else if (error.isPresent() && isCurrent(error.get(), upload)) {
            view.put("state", "failed");
            view.put("error", read(resultBase(name) + ".error.json"));
            view.put("links", Map.of("self", "/uploads/" + name));
        } else {
            view.put("state", "scoring");
            view.put("links", Map.of("self", "/uploads/" + name));
        }
        return view;
    }

    @Operation(summary = "Download a scored upload's result COG (band 1 crop class, band 2 confidence)")
    @Get(value = "/{name}/result", produces = "image/tiff")
    public HttpResponse<StreamedFile> result(@PathVariable String name) {
        requireName(name);
        String key = resultBase(name) + ".tif";
        ObjectInfo info = store.head(Bucket.RESULTS, key).orElseThrow(() -> notFound("upload '" + name + "' has no result"));
        InputStream in = store.get(Bucket.RESULTS, key).orElseThrow(() -> notFound("upload '" + name + "' has no result"));
        return HttpResponse.ok(new StreamedFile(in, MediaType.of("image/tiff"),
                        info.lastModified() == null ? -1 : info.lastModified().toEpochMilli(), info.size()))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "-crop-type.tif\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-cache");
    }

    private static boolean isCurrent(ObjectInfo outcome, Optional<ObjectInfo> upload) {
        return upload.isEmpty() || upload.get().lastModified() == null || outcome.lastModified() == null
                || !outcome.lastModified().isBefore(upload.get().lastModified());
    }

    private JsonNode read(String key) throws IOException {
        try (InputStream in = store.get(Bucket.RESULTS, key).orElseThrow(() -> notFound(key + " is gone"))) {
            return JSON.readTree(in);
        }
    }

    private long copyAtMost(InputStream body, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (InputStream in = body; OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw ProblemException.ofField(413, "body", "larger than " + maxBytes + " bytes",
                            "uploads may be at most " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    static String uploadKey(String name) {
        return ObjectKeys.UPLOADS_PREFIX + name + ".tif";
    }

    // Where score-tile puts the outcomes of uploads/<name>.tif (UploadScoring): <base>.tif, .summary.json, .error.json.
    private static String resultBase(String name) {
        return ObjectKeys.UPLOADS_PREFIX + name;
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.badField("name", "must be 1 to 64 letters, digits or '-', starting with a letter"
                    + " or digit (it is stored as uploads/<name>.tif)");
        }
    }

    private static ProblemException notFound(String detail) {
        return ProblemException.ofField(404, "name", detail, detail);
    }
}
