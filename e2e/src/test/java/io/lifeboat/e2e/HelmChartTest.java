package io.lifeboat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The chart in {@code helm/lifeboat} passes {@code helm lint --strict} and renders what the services need. */
class HelmChartTest {
    private static final Path CHART = ServiceStack.locateRepoRoot().resolve("helm/lifeboat");
    private static final List<String> SERVICES = List.of("backup", "restore", "catalog", "monitor");

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void rendersADeploymentAndAServicePerServiceWithProbesAndLockedDownPods() {
        List<Map<String, Object>> objects = render(new Helm(CHART).template().withName("lb").withNamespace("lifeboat"));

        for (String service : SERVICES) {
            String name = "lb-lifeboat-" + service + "-service";
            Map<String, Object> deployment = find(objects, "Deployment", name);
            Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
            Map<String, Object> container = list(pod, "containers").get(0);
            assertThat(map(map(container, "startupProbe"), "httpGet")).containsEntry("path", "/q/health/started");
            assertThat(map(map(container, "livenessProbe"), "httpGet")).containsEntry("path", "/q/health/live");
            assertThat(map(map(container, "readinessProbe"), "httpGet")).containsEntry("path", "/q/health/ready");
            assertThat(map(container, "securityContext")).containsEntry("readOnlyRootFilesystem", true);
            assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
            assertThat(map(map(container, "resources"), "limits")).containsKey("memory");
            assertThat(list(container, "volumeMounts")).anySatisfy(m -> assertThat(m).containsEntry("mountPath", "/tmp"));
            assertThat(list(container, "env")).anySatisfy(e -> assertThat(e)
                    .containsEntry("name", "LIFEBOAT_" + service.toUpperCase(java.util.Locale.ROOT) + "_PORT"));
            assertThat((String) container.get("image")).isEqualTo("lifeboat/" + service + "-service:0.1.0-SNAPSHOT");

            Map<String, Object> svc = find(objects, "Service", name);
            assertThat(map(svc, "spec").get("selector")).isEqualTo(map(map(deployment, "spec"), "selector").get("matchLabels"));
        }
        assertThat(objects).filteredOn(o -> "ServiceAccount".equals(o.get("kind"))).hasSize(1);
    }

    @Test
    void disabledServicesAreNotRenderedAndEndpointsReachTheConfigMap() {
        List<Map<String, Object>> objects = render(new Helm(CHART).template().withName("lb")
                .set("services.monitor.enabled", false)
                .set("endpoints.LIFEBOAT_KAFKA_BOOTSTRAP", "kafka:9092"));

        assertThat(objects).filteredOn(o -> "Deployment".equals(o.get("kind"))).hasSize(3)
                .noneMatch(o -> map(o, "metadata").get("name").toString().contains("monitor"));
        Map<String, Object> config = find(objects, "ConfigMap", "lb-lifeboat-config");
        assertThat(map(config, "data")).containsEntry("LIFEBOAT_KAFKA_BOOTSTRAP", "kafka:9092")
                .containsEntry("LIFEBOAT_HTTP_HOST", "0.0.0.0");
    }

    private static List<Map<String, Object>> render(com.marcnuri.helm.TemplateCommand command) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : yaml.loadAll(command.call())) {
            if (document != null) {
                objects.add(cast(document));
            }
        }
        return objects;
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(map(o, "metadata").get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the rendered chart"));
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return cast(parent.get(key));
    }

    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return cast(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
