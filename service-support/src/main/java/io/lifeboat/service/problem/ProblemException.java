package io.lifeboat.service.problem;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Objects;

/**
 * A domain error that a resource throws to answer with a problem detail, e.g.
 * {@code throw ProblemException.notFound("no snapshot " + id)}. Its detail is shown to the API's user,
 * so it must name nothing secret. Open for subclasses that name one domain error (with their own
 * {@code type} URI); immutable.
 */
public class ProblemException extends RuntimeException {
    private final URI type;
    private final int status;
    private final String title;

    /** A problem that its status describes: type {@code about:blank}, the reason phrase as title. */
    public ProblemException(Response.StatusType status, String detail) {
        this(ProblemDetail.ABOUT_BLANK, status.getStatusCode(), status.getReasonPhrase(), detail);
    }

    /**
     * @param type   URI naming the kind of problem, documented for clients
     * @param status HTTP status, 400 to 599
     * @param title  short summary of the type, the same for every occurrence
     * @param detail this occurrence, for the API's user
     * @throws IllegalArgumentException if {@code status} is not an error status
     */
    public ProblemException(URI type, int status, String title, String detail) {
        super(Objects.requireNonNull(detail, "detail"));
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem needs a 4xx or 5xx status, not " + status);
        }
        this.type = Objects.requireNonNull(type, "type");
        this.status = status;
        this.title = Objects.requireNonNull(title, "title");
    }

    /** 404: what was asked for does not exist. */
    public static ProblemException notFound(String detail) {
        return new ProblemException(Response.Status.NOT_FOUND, detail);
    }

    /** 409: the request conflicts with the current state, e.g. a backup of that source already runs. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(Response.Status.CONFLICT, detail);
    }

    /** 400: the request itself is wrong, e.g. a malformed snapshot id. */
    public static ProblemException badRequest(String detail) {
        return new ProblemException(Response.Status.BAD_REQUEST, detail);
    }

    public URI type() {
        return type;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
