package dev.couponhub.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ProblemAssertions;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the ITs: the whole service on a random port against a real MariaDB from the devstack, with metrics and
 * tracing on as in production. Every IT class extends this one so that they all share one Spring context.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "grpc.server.port=-1",
        "grpc.server.in-process-name=" + UserServiceItSupport.GRPC_NAME,
        "couponhub.admin.email=" + UserServiceItSupport.ADMIN_EMAIL,
        "couponhub.admin.password=" + UserServiceItSupport.ADMIN_PASSWORD,
        "couponhub.jwt.generate-key-file-if-absent=true",
})
@Import(TestClock.Config.class)
public abstract class UserServiceItSupport {

    static final String GRPC_NAME = "user-service-it";
    static final String ADMIN_EMAIL = "admin@couponhub.test";
    static final String ADMIN_PASSWORD = "it-admin-password";
    protected static final String PASSWORD = "password-123";

    private static final Path KEY_DIR = tempDir();

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "user", Component.MARIADB);
        registry.add("couponhub.jwt.private-key-file", () -> KEY_DIR.resolve("jwt-signing-key.pem").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    protected JdbcTemplate jdbc;

    /** The service's clock; a test may move it forward, it is set back after each test. */
    @Autowired
    protected TestClock clock;

    protected ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /**
     * Sends {@code copies} copies of a request at once, each on a thread of its own released by one latch, and answers
     * their responses in the order the threads were started.
     */
    protected static List<ApiClient.Response> allAtOnce(int copies, Callable<ApiClient.Response> request)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            List<Future<ApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<ApiClient.Response> responses = new ArrayList<>();
            for (Future<ApiClient.Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    protected static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13) + "@example.com";
    }

    protected static Map<String, Object> signupBody(String email, String password, String name, String role) {
        Map<String, Object> body = new HashMap<>();
        body.put("email", email);
        body.put("password", password);
        body.put("name", name);
        body.put("role", role);
        return body;
    }

    protected ApiClient.Response signUp(String email, String password, String name, String role) {
        return api.post("/api/v1/auth/signup", signupBody(email, password, name, role));
    }

    /** Signs up a SHOPPER with {@link #PASSWORD}; returns its id. */
    protected long signUpShopper(String email) {
        ApiClient.Response response = signUp(email, PASSWORD, "Shopper", "SHOPPER");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    protected ApiClient.Response login(String email, String password) {
        return api.post("/api/v1/auth/login", Map.of("email", email, "password", password));
    }

    /** Logs in and returns the Tokens. */
    protected JsonNode loggedIn(String email, String password) {
        ApiClient.Response response = login(email, password);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    protected ApiClient.Response refresh(String refreshToken) {
        return api.post("/api/v1/auth/refresh", Map.of("refreshToken", refreshToken));
    }

    protected ApiClient.Response logout(String refreshToken) {
        return api.post("/api/v1/auth/logout", Map.of("refreshToken", refreshToken));
    }

    /** The {@code sid} claim of an access token (read without verifying it: LoginIT checks the signature). */
    protected static String sessionOf(String accessToken) {
        String payload = accessToken.split("\\.")[1];
        try {
            return ApiClient.JSON.readTree(java.util.Base64.getUrlDecoder().decode(payload)).path("sid").asText(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The headers the gateway sets for a signed-in caller. */
    protected static String[] as(long userId) {
        return new String[] {"X-User-Id", Long.toString(userId), "X-User-Role", "SHOPPER"};
    }

    /** A problem+json answer with every member the conventions require, and no stack trace. */
    protected static JsonNode assertProblem(ApiClient.Response response, int status, String code, String path) {
        return ProblemAssertions.assertProblem(response, status, code, path);
    }

    /** The fields named in a VALIDATION_FAILED answer's {@code errors}. */
    protected static List<String> errorFields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> {
            assertThat(error.path("message").asText()).isNotBlank();
            fields.add(error.path("field").asText());
        });
        return fields;
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("user-service-it-keys");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // best effort
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
