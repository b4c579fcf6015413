package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code geocrop train} option handling, in process: nothing here trains (bad options stop before any work). */
class TrainCommandTest {

    @Test
    void parsesTheOptions() {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs("--labels", "fields.csv", "--year", "2023", "--rounds", "10", "--max-depth", "4",
                "--alias", "challenger", "--name", "my-model", "--publish", "--out", "model-dir", "--source", "dea");
        assertEquals(Path.of("fields.csv"), cmd.data.labels);
        assertFalse(cmd.data.embeddedTruth);
        assertEquals(2023, cmd.year);
        assertEquals(10, cmd.rounds);
        assertEquals(4, cmd.maxDepth);
        assertEquals("challenger", cmd.alias);
        assertEquals("my-model", cmd.name);
        assertTrue(cmd.publish);
        assertEquals(Path.of("model-dir"), cmd.out);
        assertEquals("dea", cmd.source);

        TrainCommand defaults = new TrainCommand();
        new CommandLine(defaults).parseArgs("--embedded-truth");
        assertTrue(defaults.data.embeddedTruth);
        assertNull(defaults.year);
        assertEquals("champion", defaults.alias);
        assertEquals(60, defaults.rounds);
        assertEquals(6, defaults.maxDepth);
        assertEquals(1, defaults.tiles);
        assertFalse(defaults.publish);
    }

    @Test
    void helpDescribesTheCommand() {
        CliRun help = CliRun.of("train", "--help");
        assertEquals(0, help.code(), help.err());
        for (String option : new String[] {"--labels", "--embedded-truth", "--year", "--rounds", "--max-depth", "--out",
                "--publish", "--alias", "--name", "lon,lat,class"}) {
            assertTrue(help.out().contains(option), option + " in " + help.out());
        }
        assertTrue(CliRun.of("--help").out().contains("train"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no training data              | --rounds 5                                   | Missing required argument (specify one of these): (--labels=FILE.csv | --embedded-truth)
            both kinds of training data   | --embedded-truth --labels a.csv --year 2023  | --labels=FILE.csv, --embedded-truth are mutually exclusive
            labels without a season       | --labels a.csv                               | --labels needs --year (the season the labels describe)
            season too early              | --embedded-truth --year 2016                 | --year must be a finished season from 2017 to
            zero rounds                   | --embedded-truth --rounds 0                  | --rounds must be 1..5000, got 0
            rounds not a number           | --embedded-truth --rounds many               | Invalid value for option '--rounds': 'many' is not an int
            depth too large               | --embedded-truth --max-depth 40              | --max-depth must be 1..16, got 40
            learning rate                 | --embedded-truth --eta 0                     | --eta must be above 0 and at most 1, got 0.0
            hold-out share                | --embedded-truth --hold-out 1                | --hold-out must be between 0 and 1, got 1.0
            unknown imagery source        | --labels a.csv --year 2023 --source sentinel | --source must be simulated or dea, got sentinel
            bad alias                     | --embedded-truth --alias Champion!           | --alias: model alias "Champion!" is not allowed
            bad model name                | --embedded-truth --name ../x                 | --name: model name "../x" is not allowed
            unknown option                | --embedded-truth --epochs 3                  | Unknown options: '--epochs'
            """)
    void rejectsBadOptionsWithAUsageErrorInPlainWords(String name, String args, String expected) {
        CliRun run = CliRun.of(("train " + args).split(" "));
        assertEquals(2, run.code(), name + ": " + run.err());
        assertTrue(run.err().contains(expected), name + ": " + run.err());
        assertTrue(run.err().contains("Usage: geocrop train"), "usage follows the error: " + run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void aLabelsFileWithBadRowsIsRejectedWithTheirLineNumbers(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("fields.csv"), """
                lon,lat,class
                31.05,-17.83,maize
                31.06,-17.83,rice
                31.07,abc,tobacco
                12.5,41.9,maize
                """);
        CliRun run = CliRun.of("train", "--labels", csv.toString(), "--year", "2023", "--imagery-cache",
                dir.resolve("imagery").toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("fields.csv: 3 bad rows:"), run.err());
        assertTrue(run.err().contains("line 3: class 'rice' is not a crop class"), run.err());
        assertTrue(run.err().contains("line 4: lat 'abc' is not a number"), run.err());
        assertTrue(run.err().contains("line 5: the point (12.5, 41.9) is outside the coverage"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        assertFalse(Files.exists(dir.resolve("imagery")), "nothing is read before the labels are valid");

        CliRun missing = CliRun.of("train", "--labels", dir.resolve("nope.csv").toString(), "--year", "2023");
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("nope.csv: no such file"), missing.err());
    }
}
