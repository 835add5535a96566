package io.lifeboat.common.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.sql.DriverManager;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class PgConnectionWarmUpTest {
    @Test
    void everyWarmedUpClassExistsInTheDriver() {
        // A class renamed in a newer driver would make the warm-up silently skip it.
        ClassLoader loader = PgConnection.class.getClassLoader();
        for (String name : PgConnection.driverClasses()) {
            assertThatCode(() -> Class.forName(name, false, loader)).as(name).doesNotThrowAnyException();
        }
    }

    @Test
    void warmUpRegistersTheDriverAndEnds() throws Exception {
        Thread t = PgConnection.warmUpDriverInBackground();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(t.isDaemon()).as("never holds the command's exit").isTrue();
        assertThat(Collections.list(DriverManager.getDrivers())).anyMatch(d -> d.getClass().getName().equals("org.postgresql.Driver"));
    }
}
