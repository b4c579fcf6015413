package io.geocrop.models.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring benchmark measured in CPU time instead of wall time (bench/scoring.sh, after JMH): rows scored per
 * second of this process's CPU time, i.e. per core actually used, for each engine and thread count of
 * {@link ScoringBenchmark}. On a machine shared with other work, wall-clock throughput measures the scheduler's
 * share as much as the engine; CPU time does not (cache sharing aside). Threads that spin waiting for work (ONNX
 * Runtime's and OpenMP's pools) count, as they hold a core.
 * <p>
 * Usage: {@code ScoringCpuTime MODEL_DIR ENGINES THREADS CPU_SECONDS}, e.g. {@code target/bench-model
 * xgboost,compiled 1,2 5}. Prints a Markdown table with each engine's ratio to xgboost4j at the same thread count.
 */
public final class ScoringCpuTime {

    private ScoringCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("geocrop.bench.modelDir", args[0]);
        List<String> engines = List.of(args[1].split(","));
        List<Integer> threads = new ArrayList<>();
        for (String t : args[2].split(",")) {
            threads.add(Integer.parseInt(t));
        }
        double cpuSeconds = Double.parseDouble(args[3]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, Double> perCpuSecond = new LinkedHashMap<>();
        for (int t : threads) {
            for (String engine : engines) {
                ScoringBenchmark b = new ScoringBenchmark();
                b.engine = engine;
                b.threads = t;
                b.setUp();
                try {
                    // Warm-up: the JIT compiles the hot loops, native pools start.
                    long warm = os.getProcessCpuTime();
                    do {
                        b.scoreOnce();
                    } while (os.getProcessCpuTime() - warm < cpuSeconds * 0.4e9);
                    long cpu0 = os.getProcessCpuTime();
                    long wall0 = System.nanoTime();
                    int calls = 0;
                    do {
                        b.scoreOnce();
                        calls++;
                    } while (os.getProcessCpuTime() - cpu0 < cpuSeconds * 1e9);
                    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                    double wall = (System.nanoTime() - wall0) / 1e9;
                    double rows = (double) calls * ScoringBenchmark.ROWS;
                    perCpuSecond.put(engine + "/" + t, rows / cpu);
                    System.err.printf("%s, %d thread(s): %d calls, %.1f s CPU, %.1f s wall%n", engine, t, calls, cpu,
                            wall);
                } finally {
                    b.tearDown();
                }
            }
        }
        System.out.println("| Engine (CPU time) | threads | rows per CPU second | / xgboost4j |");
        System.out.println("|---|---|---|---|");
        perCpuSecond.forEach((key, value) -> {
            String[] et = key.split("/");
            Double ref = perCpuSecond.get("xgboost/" + et[1]);
            System.out.printf("| %s | %s | %.0f k | %s |%n", et[0], et[1], value / 1e3,
                    ref == null ? "" : String.format("%.2f", value / ref));
        });
    }
}
