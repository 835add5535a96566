package io.lifeboat.backup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** RFC 9457 answers from service-support's mappers, through a test-only resource. */
@QuarkusTest
class ProblemDetailsTest {
    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void problemExceptionKeepsItsStatusAndDetail() {
        given().get("/test-problems/missing").then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Not Found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("no snapshot 42"))
                .body("instance", equalTo("/test-problems/missing"))
                .body("errorId", nullValue());
        given().get("/test-problems/conflict").then().statusCode(409)
                .contentType(PROBLEM_JSON)
                .body("title", equalTo("Conflict"))
                .body("detail", equalTo("a backup of this source is already running"));
    }

    @Test
    void webApplicationExceptionKeepsItsStatus() {
        given().get("/test-problems/bad-request").then().statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("title", equalTo("Bad Request"))
                .body("detail", equalTo("cursor is malformed"))
                .body("instance", equalTo("/test-problems/bad-request"));
    }

    @Test
    void wrongMethodIs405() {
        given().delete("/test-problems/missing").then().statusCode(405)
                .contentType(PROBLEM_JSON)
                .body("title", equalTo("Method Not Allowed"))
                .body("status", equalTo(405))
                .body("instance", equalTo("/test-problems/missing"));
    }

    @Test
    void unexpectedExceptionIsAGeneric500WithAnErrorIdAndNoMessage() {
        given().get("/test-problems/unexpected").then().statusCode(500)
                .contentType(PROBLEM_JSON)
                .body("title", equalTo("Internal Server Error"))
                .body("status", equalTo(500))
                .body("instance", equalTo("/test-problems/unexpected"))
                .body("errorId", matchesPattern("[0-9a-f-]{36}"))
                .body("detail", containsString("error id "))
                .body(allOf(not(containsString("hunter2")), not(containsString("IllegalStateException")),
                        not(containsString("/var/lib"))));
    }
}
