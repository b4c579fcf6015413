package io.geocrop.platform.problem;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns every error Micronaut answers by itself (unknown route, wrong method, wrong content type, body too
 * large, unconvertible argument, unhandled exception) into an RFC 9457 problem body, so no client ever sees
 * Micronaut's own error format or a stack trace.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public final class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        int status = response.code();
        Problem problem;
        if (status >= 500) {
            problem = context.getRootCause().map(ProblemMapping::internal)
                    .orElseGet(() -> ProblemMapping.forStatus(status, "The server failed to handle the request.", List.of()));
        } else {
            List<Problem.InvalidField> fields = context.getErrors().stream()
                    .filter(e -> e.getPath().isPresent())
                    .map(e -> new Problem.InvalidField(e.getPath().get(), e.getMessage()))
                    .toList();
            String detail = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
            problem = ProblemMapping.forStatus(status, detail.isBlank() ? ProblemMapping.title(status) : detail, fields);
        }
        problem = problem.withInstance(context.getRequest().getPath());
        return response.contentType(MediaType.of(Problem.MEDIA_TYPE)).body(problem);
    }
}
