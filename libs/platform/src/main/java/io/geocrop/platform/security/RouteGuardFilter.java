package io.geocrop.platform.security;

import io.geocrop.platform.problem.Problem;
import io.geocrop.platform.problem.ProblemMapping;
import io.geocrop.platform.problem.ProblemTypes;
import io.geocrop.platform.ratelimit.RateLimiter;
import io.geocrop.platform.ratelimit.RateLimiterUnavailableException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protects every request by the route the router matched (never by the path string), using {@link RouteTable}:
 * <ol>
 *   <li>a route outside this server's {@link HttpSurface}, or in no table, answers 404 as if absent;</li>
 *   <li>public writes: the API key when one is configured (401), then the per-client rate limit (429 with
 *       {@code Retry-After}; 503 while the shared counters are unreachable: fail closed);</li>
 *   <li>internal state-changing routes: {@link InternalAuth} (401 without a valid credential, 403 from a
 *       non-loopback peer when the embedded runtime has none configured);</li>
 *   <li>the health probe: details only for callers internal reads are allowed to (status only otherwise).</li>
 * </ol>
 * Requests no route matched pass through to the router's own 404/405 (or a static resource). Runs on the blocking
 * executor: the rate limiter may wait for Redis and the OIDC check for the JWKS, never on the event loop.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class RouteGuardFilter implements Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(RouteGuardFilter.class);
    private static final String DETAILS = "geocrop.health.details";
    private static final String LIMIT = "geocrop.rate.limit";
    private static final String REMAINING = "geocrop.rate.remaining";

    private final HttpSurface surface;
    private final IngressSettings ingress;
    private final RateLimiter limiter;
    private final InternalAuth internal;
    private final byte[] apiKey;

    RouteGuardFilter(HttpSurface surface, IngressSettings ingress, RateLimiter limiter, InternalAuth internal) {
        this.surface = surface;
        this.ingress = ingress;
        this.limiter = limiter;
        this.internal = internal;
        this.apiKey = ingress.hasApiKey() ? ingress.apiKey().trim().getBytes(StandardCharsets.UTF_8) : null;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<?> guard(HttpRequest<?> request) {
        Optional<RouteMatch<?>> match = RouteAttributes.getRouteMatch(request);
        if (match.isEmpty() || !(match.get() instanceof UriRouteMatch<?, ?> route)) {
            return null;
        }
        String method = route.getHttpMethod().name();
        String template = route.getRouteInfo().getUriMatchTemplate().toString();
        Optional<RouteAccess> decided = RouteTable.lookup(method, template);
        if (decided.isEmpty()) {
            LOG.error("Route {} {} is in no table of RouteTable: answering 404 until it is classified", method, template);
            return notFound(request);
        }
        RouteAccess access = decided.get();
        if (!surface.serves(access)) {
            return notFound(request);
        }
        return switch (access) {
            case PUBLIC_WRITE -> publicWrite(request, template);
            case INTERNAL_WRITE -> internalWrite(request);
            case PROBE -> {
                request.setAttribute(DETAILS, surface == HttpSurface.INTERNAL
                        || surface == HttpSurface.ALL && internal.check(request) == InternalAuth.Verdict.ALLOWED);
                yield null;
            }
            // Admission (issue 17) is not decided here: submit-job's JobSubmissionService asks AdmissionControl,
            // because an identical submission of an existing job adds no work and must still get its 200.
            case PUBLIC_READ, INTERNAL_READ -> null;
        };
    }

    @ResponseFilter
    public void after(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(LIMIT, Integer.class).ifPresent(l -> response.header("RateLimit-Limit", l.toString()));
        request.getAttribute(REMAINING, Integer.class).ifPresent(r -> response.header("RateLimit-Remaining", r.toString()));
        if (request.getAttribute(DETAILS, Boolean.class).map(d -> !d).orElse(false)
                && response.getBody().orElse(null) instanceof HealthResult health) {
            // Public callers learn whether the service is up, nothing about its database, disk or paths.
            response.body(Map.of("status", health.getStatus().getName()));
        }
    }

    private MutableHttpResponse<?> publicWrite(HttpRequest<?> request, String template) {
        if (apiKey != null && !hasApiKey(request)) {
            return problem(request, 401, "this server needs an API key for writes: send Authorization: Bearer <key> or X-API-Key");
        }
        RateLimiter.Decision decision;
        try {
            decision = limiter.acquire(ClientAddress.of(request, ingress.trustedProxyHops()) + " " + template);
        } catch (RateLimiterUnavailableException e) {
            LOG.warn("Refusing a write: {}", e.getMessage());
            return problem(request, 503, "the rate limiter is unavailable; try again shortly").header("Retry-After", "5");
        }
        if (!decision.allowed()) {
            return problem(request, 429, String.format("at most %d requests per %s to this route; try again in %d s",
                    decision.limit(), ingress.rateWindow(), decision.retryAfterSeconds()))
                    .header("Retry-After", Long.toString(decision.retryAfterSeconds()))
                    .header("RateLimit-Limit", Integer.toString(decision.limit()))
                    .header("RateLimit-Remaining", "0");
        }
        request.setAttribute(REMAINING, decision.remaining());
        request.setAttribute(LIMIT, decision.limit());
        return null;
    }

    private MutableHttpResponse<?> internalWrite(HttpRequest<?> request) {
        return switch (internal.check(request)) {
            case ALLOWED -> null;
            case MISSING_CREDENTIAL -> problem(request, 401,
                    "this internal route needs Authorization: Bearer <internal token or Knative OIDC token>");
            case BAD_CREDENTIAL -> problem(request, 401, "the credential presented is not valid for this internal route");
            case NOT_LOOPBACK -> problem(request, 403,
                    "internal routes answer only loopback callers while no internal token is configured (geocrop.internal.token)");
        };
    }

    private boolean hasApiKey(HttpRequest<?> request) {
        String presented = request.getHeaders().get("X-API-Key");
        String auth = request.getHeaders().getAuthorization().orElse(null);
        if (presented == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = auth.substring(7);
        }
        return presented != null && MessageDigest.isEqual(presented.trim().getBytes(StandardCharsets.UTF_8), apiKey);
    }

    private static MutableHttpResponse<?> notFound(HttpRequest<?> request) {
        return problem(request, 404, "Page Not Found");
    }

    private static MutableHttpResponse<Problem> problem(HttpRequest<?> request, int status, String detail) {
        Problem problem = ProblemMapping.forStatus(status, detail, List.of()).withInstance(request.getPath());
        return HttpResponse.<Problem>status(HttpStatus.valueOf(status))
                .contentType(MediaType.of(Problem.MEDIA_TYPE))
                .body(problem);
    }
}
