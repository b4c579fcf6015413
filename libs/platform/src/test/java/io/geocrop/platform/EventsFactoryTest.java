package io.geocrop.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Redis URI that reaches the logs never carries the ACL user's password. */
class EventsFactoryTest {
    @Test
    void credentialsAreDroppedFromTheLoggedUri() {
        assertEquals("redis://redis.geocrop-platform.svc:6379/0",
                EventsFactory.withoutCredentials("redis://submit-job:s3cret@redis.geocrop-platform.svc:6379/0"));
        assertEquals("redis://x:6379", EventsFactory.withoutCredentials("redis://:pw@x:6379"));
        assertEquals("redis://127.0.0.1:6379", EventsFactory.withoutCredentials("redis://127.0.0.1:6379"));
        assertEquals("(an unparseable Redis URI)", EventsFactory.withoutCredentials("redis://a b@:"));
    }
}
