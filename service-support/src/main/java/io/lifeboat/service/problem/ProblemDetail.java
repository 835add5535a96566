package io.lifeboat.service.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;

/**
 * The body of an {@code application/problem+json} answer (RFC 9457).
 *
 * @param type     what kind of problem; {@code about:blank} when the status says it all
 * @param title    short summary of the type; for {@code about:blank}, the status' reason phrase
 * @param status   the HTTP status code, repeated for clients that lose it
 * @param detail   what went wrong in this occurrence, meant for the API's user
 * @param instance the request path that failed
 * @param errorId  extension member: the id under which a 5xx was logged server-side; absent otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetail(URI type, String title, int status, String detail, String instance, String errorId) {
    /** The media type of problem details in JSON. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** The type of a problem that its status fully describes. */
    public static final URI ABOUT_BLANK = URI.create("about:blank");
}
