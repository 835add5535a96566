package io.lifeboat.service.problem;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a {@link ProblemException} with its own type, status, title and detail, whatever the status:
 * the thrower wrote that detail for the client.
 */
@Provider
public final class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {
    private final UriInfo request;

    ProblemExceptionMapper(@Context UriInfo request) {
        this.request = request;
    }

    @Override
    public Response toResponse(ProblemException problem) {
        String path = ProblemResponses.path(request);
        return ProblemResponses.problem(
                new ProblemDetail(problem.type(), problem.title(), problem.status(), problem.detail(), path, null)).build();
    }
}
