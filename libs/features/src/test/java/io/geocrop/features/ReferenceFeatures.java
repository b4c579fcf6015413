package io.geocrop.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A naive, independent reading of docs/features.md for one pixel: lists, full sorts and loops over the whole season,
 * no scratch reuse, no selection. The kernel must agree with it on every feature.
 */
final class ReferenceFeatures {

    /** One acquisition as seen by one pixel: day, quality code and the 10 reflectances in {@link Band} order. */
    record Obs(int day, byte quality, double[] bands) {
        double band(Band b) {
            return bands[b.index()];
        }
    }

    private record Point(int day, double value) {
    }

    private ReferenceFeatures() {
    }

    static double[] compute(List<Obs> series, int lastDay, int sepNovEnd, int decStart, int decEnd,
                            int febStart, int febEnd) {
        double[] out = new double[51];
        Arrays.fill(out, Double.NaN);
        List<Obs> clear = new ArrayList<>();
        int observed = 0;
        for (Obs o : series) {
            if (o.quality() != SeasonTimeSeries.NO_DATA) {
                observed++;
            }
            if (o.quality() == SeasonTimeSeries.CLEAR) {
                clear.add(o);
            }
        }
        if (clear.size() < 3) {
            return out;
        }
        List<Point> ndvi = index(clear, "ndvi");
        List<Point> evi = index(clear, "evi");
        List<Point> savi = index(clear, "savi");
        List<Point> ndre = index(clear, "ndre");
        List<Point> ndmi = index(clear, "ndmi");
        List<Point> mndwi = index(clear, "mndwi");
        List<Point> bsi = index(clear, "bsi");

        out[0] = mean(ndvi);
        out[1] = std(ndvi);
        out[2] = min(ndvi);
        out[3] = max(ndvi);
        out[4] = percentile(ndvi, 10);
        out[5] = percentile(ndvi, 50);
        out[6] = percentile(ndvi, 90);
        double peakDay = phenology(ndvi, lastDay, out);
        out[15] = mean(evi);
        out[16] = max(evi);
        out[17] = percentile(evi, 90);
        out[18] = max(evi) - min(evi);
        out[19] = dayOfMax(evi);
        out[20] = mean(savi);
        out[21] = max(savi);
        out[22] = mean(ndre);
        out[23] = max(ndre);
        out[24] = percentile(ndre, 90);
        out[25] = dayOfMax(ndre);
        out[26] = mean(ndmi);
        out[27] = min(ndmi);
        out[28] = max(ndmi);
        out[29] = max(ndmi) - min(ndmi);
        out[30] = mean(mndwi);
        out[31] = max(mndwi);
        out[32] = mean(bsi);
        out[33] = max(bsi);
        for (Band b : Band.values()) {
            List<Point> inWindow = new ArrayList<>();
            for (Obs o : clear) {
                if (!Double.isNaN(peakDay) && Math.abs(o.day() - peakDay) <= 20) {
                    inWindow.add(new Point(o.day(), o.band(b)));
                }
            }
            out[34 + b.ordinal()] = percentile(inWindow, 50);
        }
        Band[] early = {Band.B04, Band.B08, Band.B11, Band.B12};
        for (int i = 0; i < early.length; i++) {
            List<Point> w = new ArrayList<>();
            for (Obs o : clear) {
                if (o.day() <= sepNovEnd) {
                    w.add(new Point(o.day(), o.band(early[i])));
                }
            }
            out[44 + i] = percentile(w, 50);
        }
        out[48] = percentile(ndvi.stream().filter(p -> p.day() >= decStart && p.day() <= decEnd).toList(), 50);
        out[49] = percentile(ndvi.stream().filter(p -> p.day() >= febStart && p.day() <= febEnd).toList(), 50);
        out[50] = clear.size() / (double) observed;
        return out;
    }

    private static List<Point> index(List<Obs> clear, String name) {
        List<Point> values = new ArrayList<>();
        for (Obs o : clear) {
            double b02 = o.band(Band.B02);
            double b03 = o.band(Band.B03);
            double b04 = o.band(Band.B04);
            double b05 = o.band(Band.B05);
            double b08 = o.band(Band.B08);
            double b8a = o.band(Band.B8A);
            double b11 = o.band(Band.B11);
            double[] ratio = switch (name) {
                case "ndvi" -> new double[] {b08 - b04, b08 + b04};
                case "evi" -> new double[] {2.5 * (b08 - b04), b08 + 6 * b04 - 7.5 * b02 + 1};
                case "savi" -> new double[] {1.5 * (b08 - b04), b08 + b04 + 0.5};
                case "ndre" -> new double[] {b8a - b05, b8a + b05};
                case "ndmi" -> new double[] {b08 - b11, b08 + b11};
                case "mndwi" -> new double[] {b03 - b11, b03 + b11};
                case "bsi" -> new double[] {(b11 + b04) - (b08 + b02), (b11 + b04) + (b08 + b02)};
                default -> throw new IllegalArgumentException(name);
            };
            // docs/features.md: a denominator within 0.001 of zero leaves the observation out of that index.
            if (Math.abs(ratio[1]) >= 0.001) {
                values.add(new Point(o.day(), ratio[0] / ratio[1]));
            }
        }
        return values;
    }

    private static double mean(List<Point> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (Point p : v) {
            s += p.value();
        }
        return s / v.size();
    }

    private static double std(List<Point> v) {
        double m = mean(v);
        double s = 0;
        for (Point p : v) {
            s += (p.value() - m) * (p.value() - m);
        }
        return v.isEmpty() ? Double.NaN : Math.sqrt(s / v.size());
    }

    private static double min(List<Point> v) {
        return v.stream().mapToDouble(Point::value).min().orElse(Double.NaN);
    }

    private static double max(List<Point> v) {
        return v.stream().mapToDouble(Point::value).max().orElse(Double.NaN);
    }

    private static double dayOfMax(List<Point> v) {
        double best = Double.NaN;
        double day = Double.NaN;
        for (Point p : v) {
            if (Double.isNaN(best) || p.value() > best) {
                best = p.value();
                day = p.day();
            }
        }
        return day;
    }

    /** numpy's default (linear) percentile on a fully sorted copy. */
    static double percentile(List<Point> v, double percent) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] x = v.stream().mapToDouble(Point::value).sorted().toArray();
        double h = (x.length - 1) * percent / 100.0;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, x.length - 1);
        return x[lo] + (h - lo) * (x[hi] - x[lo]);
    }

    /** Fills features 8..15 (indices 7..14) and returns the peak day (NaN without NDVI). */
    private static double phenology(List<Point> ndvi, int lastDay, double[] out) {
        if (ndvi.isEmpty()) {
            return Double.NaN;
        }
        int first = ndvi.getFirst().day();
        int last = ndvi.getLast().day();
        // Daily curve over the whole season, NaN outside the observed span.
        double[] raw = new double[lastDay + 1];
        Arrays.fill(raw, Double.NaN);
        for (int day = first; day <= last; day++) {
            Point before = null;
            Point after = null;
            for (Point p : ndvi) {
                if (p.day() <= day) {
                    before = p;
                }
                if (p.day() >= day && after == null) {
                    after = p;
                }
            }
            raw[day] = before.day() == after.day() ? before.value()
                    : before.value() + (after.value() - before.value()) * (day - before.day()) / (after.day() - before.day());
        }
        double[] smooth = new double[lastDay + 1];
        Arrays.fill(smooth, Double.NaN);
        for (int day = first; day <= last; day++) {
            double sum = 0;
            int count = 0;
            for (int k = day - 7; k <= day + 7; k++) {
                if (k >= first && k <= last) {
                    sum += raw[k];
                    count++;
                }
            }
            smooth[day] = sum / count;
        }
        double peakValue = Double.NEGATIVE_INFINITY;
        int peakDay = -1;
        double trough = Double.POSITIVE_INFINITY;
        for (int day = first; day <= last; day++) {
            if (smooth[day] > peakValue) {
                peakValue = smooth[day];
                peakDay = day;
            }
            trough = Math.min(trough, smooth[day]);
        }
        double integral = 0;
        for (int day = 0; day < lastDay; day++) {
            double a = smooth[Math.min(Math.max(day, first), last)];
            double b = smooth[Math.min(Math.max(day + 1, first), last)];
            integral += (a + b) / 2;
        }
        out[8] = integral;
        if (peakValue - trough < 1e-6) {
            out[7] = 0;
            out[9] = first;
            return first;
        }
        out[7] = peakValue - trough;
        out[9] = peakDay;
        double leftMin = Double.POSITIVE_INFINITY;
        for (int day = first; day <= peakDay; day++) {
            leftMin = Math.min(leftMin, smooth[day]);
        }
        if (peakValue - leftMin >= 1e-6) {
            double thr = leftMin + 0.5 * (peakValue - leftMin);
            int below = peakDay;
            while (smooth[below] >= thr) {
                below--;
            }
            out[10] = below + (thr - smooth[below]) / (smooth[below + 1] - smooth[below]);
            out[13] = (peakValue - thr) / (peakDay - out[10]);
        }
        double rightMin = Double.POSITIVE_INFINITY;
        for (int day = peakDay; day <= last; day++) {
            rightMin = Math.min(rightMin, smooth[day]);
        }
        if (peakValue - rightMin >= 1e-6) {
            double thr = rightMin + 0.5 * (peakValue - rightMin);
            int below = peakDay;
            while (smooth[below] >= thr) {
                below++;
            }
            out[11] = below - 1 + (smooth[below - 1] - thr) / (smooth[below - 1] - smooth[below]);
            out[14] = (peakValue - thr) / (out[11] - peakDay);
        }
        out[12] = out[11] - out[10];
        return peakDay;
    }
}
