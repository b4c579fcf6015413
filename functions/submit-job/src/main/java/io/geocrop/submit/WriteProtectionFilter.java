package io.geocrop.submit;

import io.geocrop.platform.problem.ProblemException;
import io.geocrop.platform.problem.ProblemHandlers;
import io.geocrop.platform.problem.ProblemTypes;
import io.geocrop.platform.ratelimit.RateLimiter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Guards job submission and uploads on a public demo: the optional API key, then the per-client rate limit (429 with
 * {@code Retry-After}). Reads are not limited, so a map polling progress is never locked out.
 */
@ServerFilter({"/jobs", "/uploads/**"})
public final class WriteProtectionFilter {
    private final RateLimiter limiter;
    private final IngressSettings settings;
    private final byte[] apiKey;

    WriteProtectionFilter(RateLimiter limiter, IngressSettings settings) {
        this.limiter = limiter;
        this.settings = settings;
        this.apiKey = settings.apiKey() == null || settings.apiKey().isBlank()
                ? null : settings.apiKey().getBytes(StandardCharsets.UTF_8);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> guard(HttpRequest<?> request) {
        // Writes: job submissions (POST /jobs) and uploads to be scored (PUT /uploads/{name}).
        if (request.getMethod() != HttpMethod.POST && request.getMethod() != HttpMethod.PUT) {
            return null;
        }
        if (apiKey != null && !hasApiKey(request)) {
            return ProblemHandlers.respond(request, new ProblemException(401, ProblemTypes.UNAUTHORIZED, "Unauthorized",
                    "this server needs an API key for writes: send Authorization: Bearer <key> or X-API-Key"));
        }
        RateLimiter.Decision decision = limiter.acquire(client(request));
        if (!decision.allowed()) {
            MutableHttpResponse<?> response = ProblemHandlers.respond(request, new ProblemException(429, ProblemTypes.RATE_LIMITED,
                    "Too many requests", String.format("at most %d job submissions per %s; try again in %d s",
                            decision.limit(), settings.rateWindow(), decision.retryAfterSeconds()),
                    java.util.List.of(), Map.of()));
            response.header("Retry-After", Long.toString(decision.retryAfterSeconds()));
            response.header("RateLimit-Limit", Integer.toString(decision.limit()));
            response.header("RateLimit-Remaining", "0");
            return response;
        }
        request.setAttribute("geocrop.rate.remaining", decision.remaining());
        request.setAttribute("geocrop.rate.limit", decision.limit());
        return null;
    }

    @ResponseFilter
    public void rateHeaders(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute("geocrop.rate.limit", Integer.class).ifPresent(l -> response.header("RateLimit-Limit", l.toString()));
        request.getAttribute("geocrop.rate.remaining", Integer.class).ifPresent(r -> response.header("RateLimit-Remaining", r.toString()));
    }

    private boolean hasApiKey(HttpRequest<?> request) {
        String presented = request.getHeaders().get("X-API-Key");
        String auth = request.getHeaders().getAuthorization().orElse(null);
        if (presented == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = auth.substring(7).trim();
        }
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), apiKey);
    }

    private String client(HttpRequest<?> request) {
        if (settings.trustForwardedFor()) {
            String forwarded = request.getHeaders().get("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",")[0].trim();
            }
        }
        InetSocketAddress remote = request.getRemoteAddress();
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
