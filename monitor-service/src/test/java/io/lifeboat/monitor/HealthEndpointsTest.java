package io.lifeboat.monitor;

import io.lifeboat.service.testing.AbstractHealthEndpointsTest;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthEndpointsTest extends AbstractHealthEndpointsTest {
    HealthEndpointsTest() {
        super("monitor-service");
    }
}
