package io.geocrop.platform.security;

import io.micronaut.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address for per-client limits. Proxies append the address they received from to
 * {@code X-Forwarded-For}, so only the right-most {@code trustedProxyHops} entries were written by proxies we run;
 * everything to their left was written by the client and is ignored. With 0 hops (nothing in front, or a laptop)
 * the socket peer is the client. Fewer entries than hops (a request that bypassed a proxy) falls back to the
 * left-most entry.
 */
public final class ClientAddress {
    private ClientAddress() {}

    /** The client of {@code request} given the number of trusted proxies in front of this server. */
    public static String of(HttpRequest<?> request, int trustedProxyHops) {
        if (trustedProxyHops > 0) {
            List<String> entries = new ArrayList<>();
            for (String header : request.getHeaders().getAll("X-Forwarded-For")) {
                for (String part : header.split(",")) {
                    if (!part.isBlank()) {
                        entries.add(part.trim());
                    }
                }
            }
            if (!entries.isEmpty()) {
                int index = Math.max(0, entries.size() - trustedProxyHops);
                return entries.get(index);
            }
        }
        return peer(request);
    }

    /** The socket peer's address. */
    public static String peer(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    /** Whether the socket peer is this machine. */
    public static boolean peerIsLoopback(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
    }
}
