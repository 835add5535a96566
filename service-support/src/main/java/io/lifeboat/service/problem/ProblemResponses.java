package io.lifeboat.service.problem;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Builds problem answers for the mappers; stateless. */
final class ProblemResponses {
    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    private ProblemResponses() {
    }

    static Response.ResponseBuilder problem(ProblemDetail body) {
        return Response.status(body.status()).type(ProblemDetail.MEDIA_TYPE).entity(body);
    }

    /** A status-only problem, e.g. for a {@code WebApplicationException} of the framework. */
    static ProblemDetail ofStatus(int status, String detail, UriInfo request) {
        return new ProblemDetail(ProblemDetail.ABOUT_BLANK, reasonPhrase(status), status, detail, path(request), null);
    }

    /**
     * Logs {@code failure} with a fresh error id and returns a problem that carries only that id: the
     * exception's message may hold paths, SQL or keys, so it never reaches the client.
     */
    static ProblemDetail unexpected(int status, Throwable failure, UriInfo request) {
        String errorId = UUID.randomUUID().toString();
        String path = path(request);
        LOG.errorf(failure, "Request %s failed with %d, error id %s", path, status, errorId);
        return new ProblemDetail(ProblemDetail.ABOUT_BLANK, reasonPhrase(status), status,
                "The server could not complete the request; quote error id " + errorId + " when reporting it.",
                path, errorId);
    }

    static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }

    /** Headers of the original answer that a client still needs, e.g. {@code Allow} on a 405. */
    static boolean keepsHeader(String name) {
        return !name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH);
    }

    static String path(UriInfo request) {
        return request.getRequestUri().getRawPath();
    }
}
