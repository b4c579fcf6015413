package io.geocrop.platform;

import io.geocrop.events.DeadLetter;
import jakarta.inject.Singleton;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the embedded router puts an event it gave up delivering. It logs the event and the last error;
 * failing the job it belongs to is the dead-letter sink's work (submit-job's internal endpoint).
 */
@Singleton
public class DeadLetterLog implements Consumer<DeadLetter> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);

    @Override
    public void accept(DeadLetter letter) {
        LOG.error("Dead-lettered event {} ({}) for {} after {} attempts: {}", letter.event().getId(), letter.event().getType(),
                letter.service(), letter.attempts(), letter.lastError() == null ? "?" : letter.lastError().getMessage());
    }
}
