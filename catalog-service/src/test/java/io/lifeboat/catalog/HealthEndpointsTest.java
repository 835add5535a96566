package io.lifeboat.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operability surface that probes and scrapers rely on; one Quarkus start for the whole class. */
@QuarkusTest
class HealthEndpointsTest {
    private static final String NAME = "catalog-service";
    /** Set by surefire from the POM, so the test notices a version that does not reach the runtime. */
    private static final String VERSION = System.getProperty("lifeboat.expected.version", "");

    @BeforeAll
    static void versionIsKnown() {
        assertThat(VERSION).as("system property lifeboat.expected.version").isNotBlank();
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(NAME));
    }

    @Test
    void readinessIsUpAndNamesServiceAndVersion() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == '" + NAME + "' }.status", equalTo("UP"))
                .body("checks.find { it.name == '" + NAME + "' }.data.version", equalTo(VERSION));
    }

    @Test
    void startedIsUp() {
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsAreTaggedWithTheServiceAndPublishBuildInfo() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("lifeboat_build_info{service=\"" + NAME + "\",version=\"" + VERSION + "\"} 1.0"))
                .body(containsString("jvm_threads_live_threads{service=\"" + NAME + "\"}"));
    }
}
