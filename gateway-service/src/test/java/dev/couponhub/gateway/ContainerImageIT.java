package dev.couponhub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.gateway.testing.TestBackend;
import dev.couponhub.gateway.testing.TestSigningKey;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ContainerImage;
import dev.couponhub.testsupport.JibImage;
import dev.couponhub.testsupport.ServiceImageAssertions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image Jib built into {@code target/jib-image.tar} during {@code pre-integration-test} (on the offline base of
 * {@code deploy/image/build-base-image.sh}), run as the deployments run it ({@link ContainerImage}: chroot, the
 * image's user, its own PID and mount namespace): configured only by environment variables with the names of
 * {@code terraform/ecs.tf} and {@code docker-compose.yml}. The gateway keeps nothing outside its memory, so it needs no
 * devstack; every service, user-service's key set and session revocations among them, is played by a
 * {@link TestBackend}.
 */
class ContainerImageIT {

    private static final Path TARGET = JibImage.TARGET;

    @RegisterExtension
    static final JibImage IMAGE = new JibImage();

    @Test
    void imageRunsTheGatewayAsNonRootUserWithContainerMemoryFlagsItsPortLayersAndHealthCheck() throws IOException {
        ServiceImageAssertions.assertServiceImage(IMAGE.get(), "dev.couponhub.gateway.GatewayApplication", 8080);
    }

    @Test
    void entrypointWithTheDeploymentsEnvironmentThenReadyServesTheWebAppAndRoutesVerifiedCallers() throws Exception {
        TestSigningKey key = TestSigningKey.generate("image-key");
        try (TestBackend backend = TestBackend.start()) {
            backend.publishKeys(key);
            int port = ContainerImage.freePort();
            Map<String, String> env = new HashMap<>();
            env.put("AWS_REGION", "us-east-1");
            env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
            for (String service : List.of("USER", "STORE", "COUPON", "NOTIFICATION", "BATCH", "AI")) {
                env.put("COUPONHUB_GATEWAY_SERVICES_" + service, backend.uri().toString());
            }
            env.put("COUPONHUB_GATEWAY_JWT_JWKS_URI", backend.jwksUri().toString());
            env.put("COUPONHUB_GATEWAY_CORS_ALLOWED_ORIGINS", "https://app.couponhub.test");
            env.put("COUPONHUB_GATEWAY_RATELIMIT_INSTANCES", "1");
            env.put("COUPONHUB_GATEWAY_RATELIMIT_TRUSTEDPROXYHOPS", "1");
            env.put("SERVER_PORT", Integer.toString(port));

            try (ContainerImage.Service service = ServiceImageAssertions.startReady(IMAGE.get(), env, port,
                    TARGET.resolve("container-image-it.log"))) {
                ApiClient api = new ApiClient(port);

                ApiClient.Response app = api.get("/");
                assertThat(app.status()).as("the web app, from the image's snapshot layer").isEqualTo(200);
                assertThat(app.contentType()).startsWith("text/html");

                assertThat(api.get("/api/v1/users/me").status()).as("no token").isEqualTo(401);

                // the key set was downloaded at start-up, from the URI in the environment
                ApiClient.Response me = api.get("/api/v1/users/me",
                        "Authorization", "Bearer " + key.token(42, "SHOPPER"),
                        "X-User-Id", "1", "X-User-Role", "ADMIN");
                assertThat(me.status()).as(me.toString()).isEqualTo(200);
                JsonNode headers = me.json().path("headers");
                assertThat(headers.path("x-user-id").toString()).as("set from the token, the client's removed")
                        .isEqualTo("[\"42\"]");
                assertThat(headers.path("x-user-role").toString()).isEqualTo("[\"SHOPPER\"]");
                assertThat(headers.has("authorization")).as("the token stays at the gateway").isFalse();
            }
        }
    }
}
