package io.geocrop.platform.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.events.TraceScope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The shipped logback.xml, configured into a fresh logger context as the functions load it: with
 * {@code GEOCROP_LOG_FORMAT=json} every line is one JSON object carrying the MDC's job and trace ids, by default lines
 * are human-readable text with the job id, and an unknown format falls back to text.
 */
class JsonLogTest {

    /** What the shipped configuration writes to stdout for two lines, one inside a job's scope. */
    private static List<String> logWith(String format, UUID job, String traceparent) throws Exception {
        LoggerContext context = new LoggerContext();
        // The MDC TraceScope writes to (SLF4J's, i.e. logback's default context's adapter).
        context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        if (format != null) {
            context.putProperty("GEOCROP_LOG_FORMAT", format);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(JsonLogTest.class.getResource("/logback.xml"));
            Logger log = context.getLogger("io.geocrop.test.JsonLog");
            try (TraceScope request = TraceScope.forRequest(traceparent, null);
                 TraceScope scope = TraceScope.forJob(job)) {
                log.info("Job {} planned: {} tiles", job, 4);
            }
            log.warn("outside any job", new IllegalStateException("boom"));
            context.stop();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void jsonLinesCarryTheJobAndTraceIds() throws Exception {
        UUID job = UUID.randomUUID();
        List<String> lines = logWith("json", job, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.stream().filter(l -> l.contains("planned")).findFirst().orElseThrow(
                () -> new AssertionError("no line: " + lines)));
        assertEquals("INFO", first.path("level").asText());
        assertEquals("io.geocrop.test.JsonLog", first.path("loggerName").asText());
        assertEquals("Job " + job + " planned: 4 tiles", first.path("formattedMessage").asText());
        assertEquals(job.toString(), first.path("mdc").path("job_id").asText());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", first.path("mdc").path("trace_id").asText());
        assertTrue(first.path("timestamp").isNumber(), first.toString());

        JsonNode second = json.readTree(lines.stream().filter(l -> l.contains("outside any job")).findFirst().orElseThrow());
        assertTrue(second.path("mdc").path("job_id").isMissingNode(), "the scope was closed: " + second);
        assertEquals("boom", second.path("throwable").path("message").asText(), second.toString());
        for (String line : lines) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), "one JSON object per line: " + line);
            json.readTree(line);
        }
    }

    @Test
    void textIsTheDefaultAndShowsTheJob() throws Exception {
        UUID job = UUID.randomUUID();
        List<String> lines = logWith(null, job, null);
        String planned = lines.stream().filter(l -> l.contains("planned")).findFirst().orElseThrow();
        assertFalse(planned.startsWith("{"), planned);
        assertTrue(planned.contains("INFO") && planned.contains("job=" + job + " - Job " + job + " planned: 4 tiles"),
                planned);
        String outside = lines.stream().filter(l -> l.contains("outside any job")).findFirst().orElseThrow();
        assertFalse(outside.contains("job="), "no empty job= when there is no job: " + outside);
        assertTrue(lines.stream().anyMatch(l -> l.contains("IllegalStateException: boom")), "stack trace in text");
    }

    @Test
    void anUnknownFormatFallsBackToText() throws Exception {
        List<String> lines = logWith("yaml", UUID.randomUUID(), null);
        String planned = lines.stream().filter(l -> l.contains("planned")).findFirst().orElseThrow(
                () -> new AssertionError("an unknown format must not lose the logs: " + lines));
        assertFalse(planned.startsWith("{"), planned);
    }
}
