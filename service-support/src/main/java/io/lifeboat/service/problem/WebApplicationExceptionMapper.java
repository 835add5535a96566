package io.lifeboat.service.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a {@link WebApplicationException} with its status as a problem detail, and keeps its headers
 * ({@code Allow} on a 405, {@code WWW-Authenticate} on a 401). Quarkus REST throws a
 * {@code NotFoundException} for a path no resource matches and a {@code NotAllowedException} for a
 * wrong method, so those answer problem details too. A 4xx shows the exception's message, which the
 * framework or our own code wrote for the client; a 5xx shows only an error id.
 */
@Provider
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    private final UriInfo request;

    WebApplicationExceptionMapper(@Context UriInfo request) {
        this.request = request;
    }

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response original = exception.getResponse();
        int status = original.getStatus();
        ProblemDetail body = status >= 500
                ? ProblemResponses.unexpected(status, exception, request)
                : ProblemResponses.ofStatus(status, exception.getMessage(), request);
        Response.ResponseBuilder answer = ProblemResponses.problem(body);
        original.getHeaders().forEach((name, values) -> {
            if (ProblemResponses.keepsHeader(name)) {
                values.forEach(value -> answer.header(name, value));
            }
        });
        return answer.build();
    }
}
