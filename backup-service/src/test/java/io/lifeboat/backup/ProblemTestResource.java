package io.lifeboat.backup;

import io.lifeboat.service.problem.ProblemException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Test-only endpoints that fail in each way the problem mappers handle. */
@Path("/test-problems")
@Produces(MediaType.APPLICATION_JSON)
public class ProblemTestResource {
    /** What {@link #unexpected()} puts in its exception's message; must never reach a client. */
    static final String SECRET_MESSAGE = "password=hunter2 in /var/lib/lifeboat/secret";

    @GET
    @Path("/missing")
    public String missing() {
        throw ProblemException.notFound("no snapshot 42");
    }

    @GET
    @Path("/conflict")
    public String conflict() {
        throw ProblemException.conflict("a backup of this source is already running");
    }

    @GET
    @Path("/bad-request")
    public String badRequest() {
        throw new BadRequestException("cursor is malformed");
    }

    @GET
    @Path("/unexpected")
    public String unexpected() {
        throw new IllegalStateException(SECRET_MESSAGE);
    }
}
