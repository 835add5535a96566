/**
 * Problem details (RFC 9457) for every service API, in one place: JAX-RS exception mappers turn
 * {@link io.lifeboat.service.problem.ProblemException}, any {@code WebApplicationException} (including
 * Quarkus REST's 404 for an unknown path and 405 for a wrong method) and any other exception into an
 * {@code application/problem+json} body. Unexpected failures answer a generic 500 that carries only an
 * error id; the exception itself goes to the server log under that id.
 */
package io.lifeboat.service.problem;
