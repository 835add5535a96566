package io.lifeboat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every service, run from its packaged jar as its own process, answers what probes and scrapers ask. */
@ExtendWith(ServiceStackExtension.class)
class ServicesAnswerIT {
    private static final String VERSION = System.getProperty("lifeboat.expected.version", "");

    @Test
    void eachServiceIsItsOwnProcessOnItsOwnPort(ServiceStack stack) {
        List<ServiceProcess> services = stack.services();
        assertThat(services).extracting(ServiceProcess::name).containsExactly("backup", "restore", "catalog", "monitor");
        assertThat(services).allSatisfy(s -> assertThat(s.isAlive()).as(s.name()).isTrue());
        assertThat(services).extracting(ServiceProcess::pid)
                .doesNotHaveDuplicates()
                .doesNotContain(ProcessHandle.current().pid());
        assertThat(services).extracting(ServiceProcess::port).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup", "restore", "catalog", "monitor"})
    void healthGroupsAreUp(String name, ServiceStack stack) {
        ServiceProcess service = stack.service(name);
        for (String group : List.of("live", "ready", "started")) {
            HttpProbe.Answer answer = service.get("/q/health/" + group);
            assertThat(answer.status()).as("%s /q/health/%s", name, group).isEqualTo(200);
            assertThat(answer.body()).as("%s /q/health/%s", name, group).contains("\"status\": \"UP\"");
        }
        assertThat(service.get("/q/health/ready").body())
                .contains("\"name\": \"" + service.serviceName() + "\"")
                .contains("\"version\": \"" + VERSION + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup", "restore", "catalog", "monitor"})
    void metricsNameTheServiceAndItsBuild(String name, ServiceStack stack) {
        assertThat(VERSION).as("system property lifeboat.expected.version").isNotBlank();
        ServiceProcess service = stack.service(name);
        HttpProbe.Answer metrics = service.get("/q/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("lifeboat_build_info{service=\"" + service.serviceName() + "\",version=\"" + VERSION + "\"} 1.0")
                .contains("jvm_threads_live_threads{service=\"" + service.serviceName() + "\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup", "restore", "catalog", "monitor"})
    void logsAreJsonLinesNamingTheService(String name, ServiceStack stack) throws IOException {
        ServiceProcess service = stack.service(name);
        List<String> lines = Files.readAllLines(service.logFile()).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("log lines of %s", name).isNotEmpty().allSatisfy(line -> assertThat(line)
                .startsWith("{")
                .endsWith("}")
                .contains("\"service\":\"" + service.serviceName() + "\""));
    }
}
