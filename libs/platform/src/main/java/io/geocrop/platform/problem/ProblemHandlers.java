package io.geocrop.platform.problem;

import io.geocrop.domain.ValidationException;
import io.geocrop.jobs.IllegalJobTransitionException;
import io.geocrop.jobs.JobNotFoundException;
import io.geocrop.storage.UnsafeKeyException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;

/**
 * Answers the project's own exceptions with problem bodies, using {@link ProblemMapping}'s table. One method
 * per exception type because Micronaut selects error handlers by the thrown type.
 */
@Controller
public final class ProblemHandlers {

    @Error(global = true, exception = ProblemException.class)
    public HttpResponse<Problem> problem(HttpRequest<?> request, ProblemException e) {
        MutableHttpResponse<Problem> response = respond(request, e);
        e.headers().forEach(response::header);
        return response;
    }

    @Error(global = true, exception = ValidationException.class)
    public HttpResponse<Problem> validation(HttpRequest<?> request, ValidationException e) {
        return respond(request, e);
    }

    @Error(global = true, exception = JobNotFoundException.class)
    public HttpResponse<Problem> notFound(HttpRequest<?> request, JobNotFoundException e) {
        return respond(request, e);
    }

    @Error(global = true, exception = IllegalJobTransitionException.class)
    public HttpResponse<Problem> conflict(HttpRequest<?> request, IllegalJobTransitionException e) {
        return respond(request, e);
    }

    @Error(global = true, exception = UnsafeKeyException.class)
    public HttpResponse<Problem> unsafeKey(HttpRequest<?> request, UnsafeKeyException e) {
        return respond(request, e);
    }

    /** Builds the response for any mapped exception. */
    public static MutableHttpResponse<Problem> respond(HttpRequest<?> request, Throwable e) {
        Problem problem = ProblemMapping.toProblem(e).withInstance(request.getPath());
        return HttpResponse.<Problem>status(io.micronaut.http.HttpStatus.valueOf(problem.status()))
                .contentType(MediaType.of(Problem.MEDIA_TYPE))
                .body(problem);
    }
}
