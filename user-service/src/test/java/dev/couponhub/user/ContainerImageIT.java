package dev.couponhub.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import dev.couponhub.proto.user.v1.GetUserRequest;
import dev.couponhub.proto.user.v1.Role;
import dev.couponhub.proto.user.v1.User;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ContainerImage;
import dev.couponhub.testsupport.JibImage;
import dev.couponhub.testsupport.ServiceImageAssertions;
import dev.couponhub.testsupport.TestDevstack;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image Jib built into {@code target/jib-image.tar} during {@code pre-integration-test} (on the offline base of
 * {@code deploy/image/build-base-image.sh}), run as the deployments run it ({@link ContainerImage}: chroot, the
 * image's user, its own PID and mount namespace): configured only by environment variables with the names of
 * {@code terraform/ecs.tf} and {@code docker-compose.yml}, against the test devstack's MariaDB (shared with the other
 * ITs of this JVM), the signing key given as {@code COUPONHUB_JWT_PRIVATE_KEY} as Secrets Manager gives it.
 */
class ContainerImageIT {

    private static final Path TARGET = JibImage.TARGET;
    private static final String ADMIN_EMAIL = "image-admin@couponhub.test";
    private static final String ADMIN_PASSWORD = "image-it-admin-password";

    @RegisterExtension
    static final JibImage IMAGE = new JibImage();

    @Test
    void imageRunsTheServiceAsNonRootUserWithContainerMemoryFlagsItsPortsLayersAndHealthCheck() throws IOException {
        ServiceImageAssertions.assertServiceImage(IMAGE.get(), "dev.couponhub.user.UserServiceApplication", 8081, 9091);
    }

    @Test
    void entrypointWithTheDeploymentsEnvironmentThenReadyAndTheAdminLogsInWithATokenOfTheGivenKey() throws Exception {
        Devstack stack = TestDevstack.start(Component.MARIADB);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair key = rsa.generateKeyPair();
        int port = ContainerImage.freePort();
        int grpcPort = ContainerImage.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", Integer.toString(stack.mariadbPort()));
        env.put("SPRING_DATASOURCE_PASSWORD", stack.dbPassword("user"));
        env.put("COUPONHUB_JWT_PRIVATE_KEY", pem(key));
        env.put("COUPONHUB_ADMIN_EMAIL", ADMIN_EMAIL);
        env.put("COUPONHUB_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("GRPC_SERVER_MAXCONNECTIONAGE", "5m");
        env.put("GRPC_SERVER_MAXCONNECTIONAGEGRACE", "30s");
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("GRPC_SERVER_PORT", Integer.toString(grpcPort));

        try (ContainerImage.Service service = ServiceImageAssertions.startReady(IMAGE.get(), env, port,
                TARGET.resolve("container-image-it.log"))) {
            ApiClient api = new ApiClient(port);
            ApiClient.Response login = api.post("/api/v1/auth/login",
                    Map.of("email", ADMIN_EMAIL, "password", ADMIN_PASSWORD));
            assertThat(login.status()).as(login.toString()).isEqualTo(200);
            String[] token = login.json().get("accessToken").asText().split("\\.");
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key.getPublic());
            rs256.update((token[0] + "." + token[1]).getBytes(StandardCharsets.US_ASCII));
            assertThat(rs256.verify(Base64.getUrlDecoder().decode(token[2])))
                    .as("the access token is signed with the key given in the environment").isTrue();
            JsonNode claims = ApiClient.JSON.readTree(Base64.getUrlDecoder().decode(token[1]));
            assertThat(claims.get("role").asText()).isEqualTo("ADMIN");
            long adminId = claims.get("sub").asLong();

            JsonNode jwks = api.get("/.well-known/jwks.json").json();
            assertThat(jwks.get("keys")).hasSize(1);

            // the gRPC server on its port, as coupon-service and notification-service call it
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
            try {
                User admin = UserServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getUser(GetUserRequest.newBuilder().setId(adminId).build());
                assertThat(admin.getEmail()).isEqualTo(ADMIN_EMAIL);
                assertThat(admin.getRole()).isEqualTo(Role.ADMIN);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            assertThat(service.log()).as("JSON log lines, as on AWS").contains("\"@timestamp\"");
        }
    }

    /** PEM PKCS#8, as {@code openssl genpkey} writes it and Secrets Manager holds it. */
    private static String pem(KeyPair key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }
}
