package io.lifeboat.service.problem;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers any exception no more specific mapper takes with a 500 problem that carries only an error
 * id, never the exception's message or stack; the exception is logged under that id.
 */
@Provider
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private final UriInfo request;

    UnexpectedExceptionMapper(@Context UriInfo request) {
        this.request = request;
    }

    @Override
    public Response toResponse(Throwable failure) {
        return ProblemResponses.problem(ProblemResponses.unexpected(500, failure, request)).build();
    }
}
