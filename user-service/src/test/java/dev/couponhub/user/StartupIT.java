package dev.couponhub.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.couponhub.devstack.Component;
import dev.couponhub.proto.user.v1.GetUserRequest;
import dev.couponhub.proto.user.v1.User;
import dev.couponhub.proto.user.v1.UserServiceGrpc;
import dev.couponhub.testsupport.TestDevstack;
import dev.couponhub.user.config.InvalidConfigurationException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/** Starting the application itself with different configurations, against the devstack's MariaDB. */
@ExtendWith(OutputCaptureExtension.class)
class StartupIT {

    @TempDir
    Path home;

    private static Map<String, Object> baseProperties() {
        Map<String, Object> properties = new HashMap<>();
        TestDevstack.register((name, value) -> properties.put(name, value.get()), "user", Component.MARIADB);
        properties.put("server.port", 0);
        properties.put("grpc.server.port", -1);
        properties.put("spring.main.banner-mode", "off");
        return properties;
    }

    /** The properties are given as command-line arguments, so that they win over application.yml. */
    private static ConfigurableApplicationContext run(Map<String, Object> properties, String... profiles) {
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(UserServiceApplication.class).profiles(profiles).run(args);
    }

    @Test
    void startWithLocalProfileThenKeyGeneratedUnderCouponhubHomeAndLocalAdminCreated() throws Exception {
        Map<String, Object> properties = baseProperties();
        properties.put("COUPONHUB_HOME", home.toString());
        int grpcPort = freePort();
        properties.put("grpc.server.port", grpcPort);

        try (ConfigurableApplicationContext context = run(properties, "local")) {
            Path key = home.resolve(".devstack/keys/jwt-signing-key.pem");
            assertThat(key).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            long adminId = jdbc.queryForObject("select id from users where active_email = 'admin@couponhub.local'",
                    Long.class);
            assertThat(jdbc.queryForObject("select role from users where id = ?", String.class, adminId))
                    .isEqualTo("ADMIN");

            // the gRPC service over the network (Netty), as other services call it
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
            try {
                User admin = UserServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getUser(GetUserRequest.newBuilder().setId(adminId).build());
                assertThat(admin.getEmail()).isEqualTo("admin@couponhub.local");
                assertThat(admin.getRole()).isEqualTo(dev.couponhub.proto.user.v1.Role.ADMIN);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void startWithoutAdminPasswordThenFailsNamingTheSetting(CapturedOutput output) {
        Map<String, Object> properties = baseProperties();
        properties.put("couponhub.jwt.private-key-file", home.resolve("key.pem").toString());
        properties.put("couponhub.jwt.generate-key-file-if-absent", true);
        properties.put("couponhub.admin.email", "admin@example.com");

        assertThatThrownBy(() -> run(properties)).satisfies(e -> assertThat(report(e, output))
                .contains("couponhub.admin.password is not set").contains("COUPONHUB_ADMIN_PASSWORD"));
    }

    @Test
    void startWithoutSigningKeyThenFailsNamingBothWaysToConfigureIt(CapturedOutput output) {
        Map<String, Object> properties = baseProperties();
        properties.put("couponhub.admin.email", "admin@example.com");
        properties.put("couponhub.admin.password", "admin-password");

        assertThatThrownBy(() -> run(properties)).satisfies(e -> assertThat(report(e, output))
                .contains("No JWT signing key is configured")
                .contains("COUPONHUB_JWT_PRIVATE_KEY").contains("couponhub.jwt.private-key-file"));
    }

    /** The cause must be a configuration problem, reported by Spring Boot as a description and an action. */
    private static String report(Throwable failure, CapturedOutput output) {
        assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(InvalidConfigurationException.class);
        String printed = output.getAll();
        assertThat(printed).contains("APPLICATION FAILED TO START");
        return printed.substring(printed.lastIndexOf("APPLICATION FAILED TO START"));
    }
}
