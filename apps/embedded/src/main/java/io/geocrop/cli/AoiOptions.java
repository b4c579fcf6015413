package io.geocrop.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.domain.Coverage;
import io.geocrop.domain.JobRequest;
import io.geocrop.domain.JobRequestRules;
import io.geocrop.domain.Season;
import io.geocrop.domain.ValidationException;
import java.util.ListResourceBundle;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The AOI and season options of the job commands ({@code classify}, {@code features}, {@code submit}), as a picocli
 * mixin. Their help text is made from the domain rules ({@link JobRequestRules#defaults()}: coverage, radius
 * bounds, first season), so the numbers are stated in one place.
 */
@Command(resourceBundle = "io.geocrop.cli.AoiOptions$Texts")
final class AoiOptions {
    static final JobRequestRules RULES = JobRequestRules.defaults();

    @Option(names = "--lon", required = true, descriptionKey = "aoi.lon")
    double lon;

    @Option(names = "--lat", required = true, descriptionKey = "aoi.lat")
    double lat;

    @Option(names = {"--radius-m", "--radius"}, required = true, descriptionKey = "aoi.radius")
    double radiusM;

    @Option(names = "--year", required = true, descriptionKey = "aoi.year")
    int year;

    /** The request these options make, checked by the domain rules; exit code 2 naming each field otherwise. */
    JobRequest validate() {
        try {
            return RULES.validate(lon, lat, radiusM, year);
        } catch (ValidationException e) {
            throw new CliException(e.errors().stream().map(f -> f.field() + ": " + f.message())
                    .collect(Collectors.joining("; ")), 2);
        }
    }

    /** The options as the fields of a {@code POST /jobs} body. */
    ObjectNode jobBody() {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("lon", lon).put("lat", lat).put("radius_m", radiusM).put("year", year);
        return body;
    }

    /** The options' help texts, from {@link #RULES}. Public: {@link java.util.ResourceBundle} instantiates it. */
    public static final class Texts extends ListResourceBundle {
        @Override
        protected Object[][] getContents() {
            Coverage c = RULES.coverage();
            return new Object[][] {
                {"aoi.lon", "Centre longitude, WGS84 degrees (coverage: " + c.minLon() + ".." + c.maxLon() + ")."},
                {"aoi.lat", "Centre latitude, WGS84 degrees (coverage: " + c.minLat() + ".." + c.maxLat() + ")."},
                {"aoi.radius", "Radius in metres (" + (long) RULES.minRadiusM() + ".." + (long) RULES.maxRadiusM() + ")."},
                {"aoi.year", "Season year Y: Y-09-01 to Y+1-05-31, from " + Season.FIRST_YEAR + "."},
            };
        }
    }
}
