package io.lifeboat.restore;

import io.lifeboat.service.testing.AbstractHealthEndpointsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthEndpointsTest extends AbstractHealthEndpointsTest {
    HealthEndpointsTest() {
        super("restore-service");
    }
}
