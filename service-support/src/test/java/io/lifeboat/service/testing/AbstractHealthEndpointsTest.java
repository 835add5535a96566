package io.lifeboat.service.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operability surface that probes and scrapers rely on, the same for every service. A service
 * runs it with a three-line subclass annotated {@code @QuarkusTest} that passes its name; its surefire
 * configuration sets {@code lifeboat.expected.version} to the project version.
 */
public abstract class AbstractHealthEndpointsTest {
    /** Set by surefire from the POM, so the test notices a version that does not reach the runtime. */
    private static final String VERSION = System.getProperty("lifeboat.expected.version", "");

    private final String name;

    /** @param name the service's name, e.g. {@code backup-service} */
    protected AbstractHealthEndpointsTest(String name) {
        this.name = name;
    }

    @BeforeAll
    static void versionIsKnown() {
        assertThat(VERSION).as("system property lifeboat.expected.version").isNotBlank();
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(name));
    }

    @Test
    void readinessIsUpAndNamesServiceAndVersion() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == '" + name + "' }.status", equalTo("UP"))
                .body("checks.find { it.name == '" + name + "' }.data.version", equalTo(VERSION));
    }

    @Test
    void startedIsUp() {
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsAreTaggedWithTheServiceAndPublishBuildInfo() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("lifeboat_build_info{service=\"" + name + "\",version=\"" + VERSION + "\"} 1.0"))
                .body(containsString("jvm_threads_live_threads{service=\"" + name + "\"}"));
    }

    @Test
    void unknownPathAnswersProblemJson() {
        given().get("/no/such/path").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("instance", equalTo("/no/such/path"));
    }
}
