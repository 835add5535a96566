package io.lifeboat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A service killed without warning takes nothing else down, and comes back on restart. */
@ExtendWith(ServiceStackExtension.class)
class KillOneServiceIT {
    @Test
    void killNineOfOneServiceLeavesTheOthersReadyAndRestartBringsItBack(ServiceStack stack) {
        ServiceProcess victim = stack.service("catalog");
        long oldPid = victim.pid();

        victim.kill9();

        assertThat(victim.isAlive()).isFalse();
        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive)).as("pid %d after kill -9", oldPid)
                .isEmpty();
        assertThat(victim.get("/q/health/ready").status()).isEqualTo(HttpProbe.NO_ANSWER);
        for (ServiceProcess other : stack.services()) {
            if (other != victim) {
                assertThat(other.isAlive()).as(other.name()).isTrue();
                assertThat(other.get("/q/health/ready").status()).as("%s ready", other.name()).isEqualTo(200);
            }
        }

        victim.restart();
        victim.awaitReady();

        assertThat(victim.pid()).isNotEqualTo(oldPid);
        assertThat(victim.get("/q/health/ready").status()).isEqualTo(200);
        assertThat(victim.get("/q/health/live").status()).isEqualTo(200);
    }
}
