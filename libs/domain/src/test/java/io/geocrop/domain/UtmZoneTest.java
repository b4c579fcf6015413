package io.geocrop.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UtmZoneTest {

    /** Expected values were computed with GDAL 3.6.2 / PROJ: {@code gdaltransform -s_srs EPSG:4326 -t_srs EPSG:327zz}. */
    @ParameterizedTest
    @CsvSource({
        "32736, 31.05, -17.83, 293338.351258611, 8027545.32889739",
        "32736, 25.3, -22.4, -294259.969769404, 7502475.22768284",
        "32736, 29.99, -15.7, 177351.692255817, 8261953.60618505",
        "32736, 33.0, -21.0, 499999.999999999, 7677852.3616449",
        "32735, 31.05, -17.83, 929445.139856263, 8023969.54545772",
        "32735, 29.99, -15.7, 820502.786188076, 8261984.03353212",
    })
    void forwardMatchesProj(int epsg, double lon, double lat, double easting, double northing) {
        double[] xy = UtmZone.ofEpsg(epsg).forward(lon, lat);
        assertEquals(easting, xy[0], 1e-3);
        assertEquals(northing, xy[1], 1e-3);
    }

    @Test
    void inverseMatchesProj() {
        double[] ll = UtmZone.ofEpsg(32736).inverse(330123.45, 8027001.5);
        assertEquals(31.3969393231343, ll[0], 1e-9);
        assertEquals(-17.8380700297223, ll[1], 1e-9);
    }

    @Test
    void roundTripsAcrossZimbabwe() {
        for (double lon = 25.2; lon <= 33.1; lon += 0.37) {
            for (double lat = -22.5; lat <= -15.6; lat += 0.41) {
                UtmZone zone = UtmZone.of(lon, lat);
                double[] xy = zone.forward(lon, lat);
                double[] back = zone.inverse(xy[0], xy[1]);
                assertEquals(lon, back[0], 1e-9);
                assertEquals(lat, back[1], 1e-9);
            }
        }
    }

    @Test
    void zimbabweUsesZones35And36South() {
        assertEquals(32735, UtmZone.of(29.99, -18).epsg());
        assertEquals(32736, UtmZone.of(30.01, -18).epsg());
        assertEquals(32635, UtmZone.of(29.0, 10).epsg());
        assertThrows(IllegalArgumentException.class, () -> UtmZone.ofEpsg(4326));
    }
}
