package io.lifeboat.common.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.testing.LocalInfra;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Keycloak (optional server, started on demand) issues tokens for realm lifeboat with its roles. */
class KeycloakServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void clientCredentialsAndPasswordGrantsCarryRealmRoles() throws Exception {
        LocalInfra infra = LocalInfra.keycloak();

        JsonNode service = claims(token(infra, "grant_type=client_credentials"));
        assertThat(service.get("iss").asText()).isEqualTo(infra.oidcUrl().toString());
        assertThat(texts(service.get("groups"))).contains("viewer", "operator").doesNotContain("admin");

        JsonNode approver = claims(token(infra, "grant_type=password&username=approver&password="
                + URLEncoder.encode(infra.get("LIFEBOAT_OIDC_USER_PASSWORD"), StandardCharsets.UTF_8)));
        assertThat(approver.get("preferred_username").asText()).isEqualTo("approver");
        assertThat(texts(approver.get("groups"))).contains("approver").doesNotContain("operator");
    }

    @Test
    void wrongClientSecretIsRefused() throws Exception {
        LocalInfra infra = LocalInfra.keycloak();
        HttpResponse<String> response = post(infra, infra.oidcClientSecret() + "x", "grant_type=client_credentials");
        assertThat(response.statusCode()).isEqualTo(401);
    }

    private String token(LocalInfra infra, String form) throws Exception {
        HttpResponse<String> response = post(infra, infra.oidcClientSecret(), form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private HttpResponse<String> post(LocalInfra infra, String secret, String form) throws Exception {
        String basic = Base64.getEncoder().encodeToString(
                (infra.oidcClientId() + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(infra.oidcUrl() + "/protocol/openid-connect/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static java.util.List<String> texts(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
