package io.lifeboat.backup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The dependencies group probes each configured endpoint (see {@link DependencyServers}: Kafka and the
 * KMS listen, S3 does not) and an unreachable one leaves readiness alone.
 */
@QuarkusTest
@WithTestResource(value = DependencyServers.class, scope = TestResourceScope.GLOBAL)
class DependenciesHealthGroupTest {
    @Test
    void reachableEndpointsAreUpAndAClosedPortIsDown() {
        given().get("/q/health/group/dependencies").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.name", containsInAnyOrder("s3", "kafka", "kms"))
                .body("checks.find { it.name == 's3' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kms' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kms' }.data.status", equalTo(200));
    }

    @Test
    void readinessAndLivenessIgnoreTheDependencies() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", everyItem(not(equalTo("s3"))));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
