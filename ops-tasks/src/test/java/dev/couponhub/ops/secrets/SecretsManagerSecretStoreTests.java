package dev.couponhub.ops.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The AWS SDK implementation against a stand-in for Secrets Manager's JSON API on a local port (there is no local
 * Secrets Manager): the requests the SDK sends, and how its answers, errors included, map to "no value yet". The
 * stand-in answers in the documented format (JSON 1.1, {@code __type} names the error); it was not compared with the
 * real service here.
 */
class SecretsManagerSecretStoreTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private SecretsManagerClient client;
    private SecretsManagerSecretStore store;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            targets.add(target);
            requests.add(request);
            String id = request.path("SecretId").asText();
            int status = 200;
            String body;
            if ("secretsmanager.GetSecretValue".equals(target)) {
                String value = values.get(id);
                if (value == null) {
                    status = 400;
                    body = "{\"__type\":\"ResourceNotFoundException\",\"Message\":"
                            + "\"Secrets Manager can't find the specified secret value for staging label: AWSCURRENT\"}";
                } else {
                    body = JSON.writeValueAsString(Map.of("ARN", id, "Name", id, "SecretString", value,
                            "VersionId", "v1", "VersionStages", List.of("AWSCURRENT")));
                }
            } else if ("secretsmanager.PutSecretValue".equals(target)) {
                values.put(id, request.path("SecretString").asText());
                body = JSON.writeValueAsString(Map.of("ARN", id, "Name", id, "VersionId", "v2",
                        "VersionStages", List.of("AWSCURRENT")));
            } else {
                status = 400;
                body = "{\"__type\":\"InvalidRequestException\",\"Message\":\"unexpected " + target + "\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        client = SecretsManagerClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        store = new SecretsManagerSecretStore(client);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void secretWithoutVersionThenNoValue() {
        assertThat(store.currentValue("couponhub/coupon-service/db-password")).isEmpty();
        assertThat(targets).containsExactly("secretsmanager.GetSecretValue");
        assertThat(requests.get(0).path("VersionStage").asText()).isEqualTo("AWSCURRENT");
    }

    @Test
    void putValueBecomesTheCurrentValue() {
        store.putValue("couponhub/coupon-service/db-password", "generated-1");
        assertThat(store.currentValue("couponhub/coupon-service/db-password")).contains("generated-1");
        assertThat(requests.get(0).path("SecretString").asText()).isEqualTo("generated-1");
    }

    @Test
    void otherErrorsAreNotTakenForNoValue() {
        // the task role lacks secretsmanager:GetSecretValue: a failure, not "no value yet" (which would overwrite it)
        server.removeContext("/");
        server.createContext("/", exchange -> {
            byte[] bytes = "{\"__type\":\"AccessDeniedException\",\"Message\":\"not allowed\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        assertThatThrownBy(() -> store.currentValue("couponhub/coupon-service/db-password"))
                .isNotInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("not allowed");
    }
}
