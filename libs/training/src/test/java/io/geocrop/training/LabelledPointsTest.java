package io.geocrop.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.Coverage;
import io.geocrop.domain.CropClass;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.UtmZone;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelledPointsTest {

    static List<LabelledPoints.Label> parse(String csv) throws IOException {
        return LabelledPoints.parse(new StringReader(csv), "labels.csv", Coverage.ZIMBABWE);
    }

    static LabelsException bad(String csv) {
        return assertThrows(LabelsException.class, () -> parse(csv));
    }

    @Test
    void readsPointsWithClassIdsAndCodesInAnyColumnOrder() throws IOException {
        List<LabelledPoints.Label> labels = parse("""
                \uFEFFclass, LAT ,lon,note
                maize,-17.83,31.05,first field

                2,-17.84,31.06,"a note, with a comma"
                Sorghum_Millet,-17.85,31.07,
                bare-built,-17.86,31.08,x
                """);
        assertEquals(4, labels.size());
        assertEquals(CropClass.MAIZE, labels.get(0).cropClass());
        assertEquals(31.05, labels.get(0).lon());
        assertEquals(-17.83, labels.get(0).lat());
        assertEquals(2, labels.get(0).line());
        assertEquals(CropClass.TOBACCO, labels.get(1).cropClass());
        assertEquals(4, labels.get(1).line(), "the blank line still counts");
        assertEquals(CropClass.SORGHUM_MILLET, labels.get(2).cropClass());
        assertEquals(CropClass.BARE_BUILT, labels.get(3).cropClass());
        assertTrue(labels.stream().noneMatch(LabelledPoints.Label::isPolygon));
    }

    @Test
    void readsPolygonsFromAQuotedWktColumn() throws IOException {
        List<LabelledPoints.Label> labels = parse("""
                lon,lat,class,wkt
                ,,soybean,"POLYGON ((31.050 -17.830, 31.052 -17.830, 31.052 -17.832, 31.050 -17.832, 31.050 -17.830))"
                31.06,-17.84,maize,
                """);
        assertEquals(2, labels.size());
        LabelledPoints.Label polygon = labels.get(0);
        assertTrue(polygon.isPolygon());
        assertEquals(1, polygon.rings().size());
        assertEquals(5, polygon.rings().getFirst().length);
        assertEquals(31.051, polygon.lon(), 1e-9, "anchor: centre of the polygon's box");
        assertEquals(CropClass.SOYBEAN, polygon.cropClass());
        assertTrue(!labels.get(1).isPolygon());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown class            | lon,lat,class\\n31.05,-17.83,maiz                 | line 2: class 'maiz' is not a crop class; use one of maize, tobacco
            class code 0             | lon,lat,class\\n31.05,-17.83,0                    | line 2: class '0' is not a crop class
            class code 12            | lon,lat,class\\n31.05,-17.83,12                   | line 2: class '12' is not a crop class
            empty class              | lon,lat,class\\n31.05,-17.83,                     | line 2: the class is empty
            bad number               | lon,lat,class\\n31,05,-17.83,maize                | line 2: expected 3 columns as in the header, got 4
            comma decimal            | lon;lat;class\\n31,05;-17,83;maize                | line 1: the header must name a 'class' column
            words for a number       | lon,lat,class\\nthirty,-17.83,maize               | line 2: lon 'thirty' is not a number
            NaN                      | lon,lat,class\\nNaN,-17.83,maize                  | line 2: lon 'NaN' is not a number
            infinity                 | lon,lat,class\\n31.05,-Infinity,maize             | line 2: lat '-Infinity' is not a number
            empty lat                | lon,lat,class\\n31.05,,maize                      | line 2: lat is empty
            out of coverage          | lon,lat,class\\n24.0,-17.83,maize                 | line 2: the point (24.0, -17.83) is outside the coverage: lon 25.2..33.1, lat -22.5..-15.6
            swapped lon and lat      | lon,lat,class\\n-17.83,31.05,maize                | are lon and lat swapped?
            not a lon/lat            | lon,lat,class\\n200,-17.83,maize                  | line 2: the point (200.0, -17.83) is not a WGS84 lon, lat
            too few columns          | lon,lat,class\\n31.05,-17.83                      | line 2: expected 3 columns as in the header, got 2
            unclosed quote           | lon,lat,class\\n31.05,-17.83,"maize               | line 2: a quoted field is not closed
            no header                | 31.05,-17.83,maize\\n31.06,-17.84,maize           | line 1: the first line must be a header, it looks like data
            header without class     | lon,lat,crop\\n31.05,-17.83,maize                 | line 1: the header must name a 'class' column
            duplicate header column  | lon,lat,class,lon\\n31.05,-17.83,maize,31         | line 1: the header names column 'lon' twice
            header only              | lon,lat,class                                     | the file has a header but no labelled rows
            empty file               | ''                                                | the file is empty; expected a header line such as lon,lat,class
            not a polygon            | class,wkt\\nmaize,POINT (31.05 -17.83)            | line 2: only WKT POLYGON is supported, got POINT
            open ring                | class,wkt\\nmaize,"POLYGON ((31.05 -17.83, 31.06 -17.83, 31.06 -17.84, 31.05 -17.84))" | line 2: the polygon's outer ring is not closed
            short ring               | class,wkt\\nmaize,"POLYGON ((31.05 -17.83, 31.06 -17.83, 31.05 -17.83))" | needs at least 4
            bad vertex               | class,wkt\\nmaize,"POLYGON ((31.05 -17.83, 31.06 x, 31.06 -17.84, 31.05 -17.83))" | line 2: the polygon's outer ring has 'x', which is not a number
            vertex out of coverage   | class,wkt\\nmaize,"POLYGON ((31.05 -17.83, 35.06 -17.83, 31.06 -17.84, 31.05 -17.83))" | line 2: a polygon vertex (35.06, -17.83) is outside the coverage
            unquoted polygon         | class,wkt\\nmaize,POLYGON ((31.05 -17.83, 31.06 -17.83, 31.06 -17.84, 31.05 -17.83)) | line 2: expected 2 columns as in the header, got 5 (put the WKT polygon in double quotes)
            """)
    void reportsEveryKindOfBadRowWithItsLineNumber(String name, String csv, String expected) {
        LabelsException e = bad(csv.replace("\\n", "\n").replace("''", ""));
        assertTrue(e.getMessage().contains(expected), () -> name + ": '" + e.getMessage() + "' should contain '" + expected + "'");
        assertTrue(e.getMessage().startsWith("labels.csv"), e.getMessage());
    }

    @Test
    void reportsAllBadRowsAtOnceInLineOrder() {
        LabelsException e = bad("""
                lon,lat,class
                31.05,-17.83,maize
                31.05,-17.83,rice
                x,-17.83,maize
                31.05,-17.83,tobacco
                24,-17.83,maize
                """);
        assertEquals(List.of(3, 4, 6), e.errors().stream().map(LabelsException.LineError::line).toList());
        assertTrue(e.getMessage().startsWith("labels.csv: 3 bad rows:\n  line 3: class 'rice'"), e.getMessage());
    }

    @Test
    void capsTheReportButCountsEveryBadRow() {
        StringBuilder csv = new StringBuilder("lon,lat,class\n");
        for (int i = 0; i < 40; i++) {
            csv.append("31.05,-17.83,rice\n");
        }
        LabelsException e = bad(csv.toString());
        assertEquals(LabelsException.MAX_REPORTED, e.errors().size());
        assertTrue(e.getMessage().contains("40 bad rows") && e.getMessage().endsWith("... and 15 more"), e.getMessage());
    }

    @Test
    void aMissingFileIsAClearError(@TempDir Path dir) {
        LabelsException e = assertThrows(LabelsException.class,
                () -> LabelledPoints.read(dir.resolve("nope.csv"), Coverage.ZIMBABWE));
        assertTrue(e.getMessage().endsWith("nope.csv: no such file"), e.getMessage());
    }

    @Test
    void readsAFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("l.csv"), "lon,lat,class\n31.05,-17.83,water\n");
        assertEquals(CropClass.WATER, LabelledPoints.read(file, Coverage.ZIMBABWE).getFirst().cropClass());
    }

    // --- placing labels on the grid -------------------------------------------------------------------------

    @Test
    void aPointLabelsThePixelHoldingIt() throws IOException {
        LabelledPixels pixels = LabelledPixels.of(parse("lon,lat,class\n31.05,-17.83,maize\n"), "labels.csv");
        UtmZone zone = UtmZone.of(31.05, -17.83);
        double[] en = zone.forward(31.05, -17.83);
        LabelledPixels.Pixel p = pixels.byTile().values().iterator().next().getFirst();
        PixelRef ref = new PixelRef(p.tile(), p.x(), p.y());
        double[] centre = ref.centre();
        assertEquals(32736, p.tile().epsg());
        assertTrue(Math.abs(centre[0] - en[0]) <= 5 && Math.abs(centre[1] - en[1]) <= 5,
                "the pixel centre is within half a pixel of the point");
        assertEquals(new JobTile(32736, (long) Math.floor(en[0] / 5120), (long) Math.floor(en[1] / 5120)), p.tile());
        assertEquals(CropClass.MAIZE.code(), p.classCode());
        assertEquals(2, p.line());
    }

    @Test
    void aPolygonLabelsThePixelCentresInsideItButNotItsHoles() throws IOException {
        // A 200 m x 200 m square around a point, with a 60 m x 60 m hole, drawn in UTM and written in lon/lat.
        UtmZone zone = UtmZone.ofEpsg(32736);
        double e0 = 300_003, n0 = 8_027_003; // not on the 10 m grid: centres decide
        String shell = ring(zone, e0, n0, 200);
        String hole = ring(zone, e0 + 70, n0 + 70, 60);
        LabelledPixels pixels = LabelledPixels.of(parse("class,wkt\ngroundnut,\"POLYGON (" + shell + ", " + hole + ")\"\n"),
                "labels.csv");
        // 20 x 20 centres in the square (offset 3 m keeps exactly 20 per side), 6 x 6 in the hole.
        assertEquals(400 - 36, pixels.size());
        assertEquals(1, pixels.groupCount(), "one polygon is one spatial group");
        Set<Integer> groups = pixels.byTile().values().stream().flatMap(List::stream)
                .map(LabelledPixels.Pixel::group).collect(Collectors.toSet());
        assertEquals(Set.of(0), groups);
    }

    @Test
    void groupsAreBlocksOf64Pixels() throws IOException {
        // Two points 20 m apart share a block; one 5 km away does not.
        LabelledPixels pixels = LabelledPixels.of(parse("""
                lon,lat,class
                31.05000,-17.83000,maize
                31.05019,-17.83000,maize
                31.10000,-17.83000,maize
                """), "labels.csv");
        List<Integer> groups = pixels.byTile().values().stream().flatMap(List::stream)
                .sorted(java.util.Comparator.comparingInt(LabelledPixels.Pixel::line)).map(LabelledPixels.Pixel::group).toList();
        assertEquals(groups.get(0), groups.get(1));
        assertTrue(!groups.get(0).equals(groups.get(2)));
    }

    @Test
    void theSamePixelTwiceWithTheSameClassCountsOnce() throws IOException {
        LabelledPixels pixels = LabelledPixels.of(parse("lon,lat,class\n31.05,-17.83,maize\n31.05001,-17.83001,1\n"), "l.csv");
        assertEquals(1, pixels.size());
    }

    @Test
    void aPixelWithTwoClassesIsAnErrorNamingBothLines() throws IOException {
        List<LabelledPoints.Label> labels = parse("lon,lat,class\n31.05,-17.83,maize\n31.05001,-17.83001,tobacco\n");
        LabelsException e = assertThrows(LabelsException.class, () -> LabelledPixels.of(labels, "l.csv"));
        assertEquals("l.csv: line 3: a pixel of this point is already labelled maize by line 2", e.getMessage());
    }

    @Test
    void aPolygonWithoutPixelCentresOrTooBigIsAnError() throws IOException {
        UtmZone zone = UtmZone.ofEpsg(32736);
        List<LabelledPoints.Label> tiny = parse("class,wkt\nmaize,\"POLYGON (" + ring(zone, 300_001, 8_027_001, 3) + ")\"\n");
        LabelsException e = assertThrows(LabelsException.class, () -> LabelledPixels.of(tiny, "l.csv"));
        assertTrue(e.getMessage().startsWith("l.csv: line 2: the polygon contains no 10 m pixel centre"), e.getMessage());

        List<LabelledPoints.Label> huge = parse("class,wkt\nmaize,\"POLYGON (" + ring(zone, 300_000, 8_000_000, 20_000) + ")\"\n");
        e = assertThrows(LabelsException.class, () -> LabelledPixels.of(huge, "l.csv"));
        assertTrue(e.getMessage().contains("line 2: the polygon spans about 20 x 20 km"), e.getMessage());

        List<LabelledPoints.Label> big = parse("class,wkt\nmaize,\"POLYGON (" + ring(zone, 300_000, 8_000_000, 3_400) + ")\"\n");
        e = assertThrows(LabelsException.class, () -> LabelledPixels.of(big, "l.csv"));
        assertTrue(e.getMessage().contains("line 2: the polygon covers more than 100000 pixels"), e.getMessage());
    }

    /** A square ring of side {@code size} m with its south-west corner at (e, n), as WKT "(lon lat, ...)". */
    static String ring(UtmZone zone, double e, double n, double size) {
        double[][] corners = {{e, n}, {e + size, n}, {e + size, n + size}, {e, n + size}, {e, n}};
        StringBuilder s = new StringBuilder("(");
        for (double[] c : corners) {
            double[] ll = zone.inverse(c[0], c[1]);
            s.append(s.length() > 1 ? ", " : "").append(ll[0]).append(' ').append(ll[1]);
        }
        return s.append(')').toString();
    }
}
