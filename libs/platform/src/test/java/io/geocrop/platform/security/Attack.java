package io.geocrop.platform.security;

import java.util.Map;

/**
 * One attempt an outsider makes, and the status that proves the door is shut.
 *
 * @param tries    what the attacker tries, in words
 * @param method   HTTP method
 * @param path     raw path and query, sent exactly as written (no normalisation)
 * @param headers  request headers
 * @param body     request body, or null
 * @param expected the one status the server must answer
 */
public record Attack(String tries, String method, String path, Map<String, String> headers, String body, int expected) {

    public static Attack of(int expected, String tries, String method, String path) {
        return new Attack(tries, method, path, Map.of(), null, expected);
    }

    public static Attack of(int expected, String tries, String method, String path, String body, Map<String, String> headers) {
        return new Attack(tries, method, path, headers, body, expected);
    }
}
