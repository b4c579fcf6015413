package io.geocrop.platform.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Locale;

/**
 * The console log format, chosen by {@code GEOCROP_LOG_FORMAT}: {@code text} (default; human-readable lines with
 * the job id when there is one) or {@code json} (one JSON object per line, logback's own {@link JsonEncoder}: level,
 * logger, thread, timestamp in epoch millis, the formatted message, the MDC ({@code job_id}, {@code tile_id},
 * {@code event_id}, {@code trace_id}) and the exception). An unknown value falls back to text with a warning on
 * logback's status console, rather than losing every log line.
 *
 * <pre>{@code
 * <encoder class="io.geocrop.platform.logging.GeoCropLogEncoder">
 *   <format>${GEOCROP_LOG_FORMAT:-text}</format>
 *   <pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36}%replace( job=%X{job_id}){' job=$', ''} - %msg%n</pattern>
 * </encoder>
 * }</pre>
 */
public class GeoCropLogEncoder extends EncoderBase<ILoggingEvent> {
    /** The text pattern when none is configured. */
    public static final String DEFAULT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

    private String format = "text";
    private String pattern = DEFAULT_PATTERN;
    private Encoder<ILoggingEvent> delegate;

    /** {@code text} or {@code json} (any case). */
    public void setFormat(String format) {
        this.format = format == null ? "text" : format.strip();
    }

    /** The logback pattern of the text format. */
    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    /** Whether lines are JSON (after {@link #start()}). */
    public boolean isJson() {
        return delegate instanceof JsonEncoder;
    }

    @Override
    public void start() {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithFormattedMessage(true);
            delegate = json;
        } else {
            if (!f.equals("text") && !f.isEmpty()) {
                addWarn("GEOCROP_LOG_FORMAT '" + format + "' is neither text nor json; logging text");
            }
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
