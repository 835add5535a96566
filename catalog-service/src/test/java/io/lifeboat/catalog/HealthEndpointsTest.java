package io.lifeboat.catalog;

import io.lifeboat.service.testing.AbstractHealthEndpointsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthEndpointsTest extends AbstractHealthEndpointsTest {
    HealthEndpointsTest() {
        super("catalog-service");
    }
}
