package dev.couponhub.ops.searchreindex;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.couponhub.ops.OpsTasks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** search-reindex against a small local HTTP server standing in for coupon-service's actuator endpoint. */
@ExtendWith(OutputCaptureExtension.class)
class SearchReindexTests {

    private static final String QUEUED = "{\"queued\":42}";

    private final Deque<Integer> answers = new ConcurrentLinkedDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void couponServiceAcceptsThenExitZeroAfterOnePost(CapturedOutput output) throws IOException {
        String url = serve(200);
        assertThat(reindex(url)).isZero();
        assertThat(requests).containsExactly("POST /actuator/searchreindex");
        assertThat(output).contains("42 coupons queued");
    }

    @Test
    void couponServiceStillStartingThenTriesAgainUntilItAccepts() throws IOException {
        String url = serve(503, 502, 200);
        assertThat(reindex(url)).isZero();
        assertThat(requests).hasSize(3).containsOnly("POST /actuator/searchreindex");
    }

    @Test
    void trailingSlashInTheUrlIsIgnored() throws IOException {
        String url = serve(200);
        assertThat(reindex(url + "/")).isZero();
        assertThat(requests).containsExactly("POST /actuator/searchreindex");
    }

    @Test
    void couponServiceKeepsFailingThenNonZeroExitAfterEveryAttempt(CapturedOutput output) throws IOException {
        String url = serve(500, 500, 500, 500);
        assertThat(reindex(url)).isEqualTo(1);
        assertThat(requests).hasSize(3);
        assertThat(output).contains("failed 3 times");
    }

    @Test
    void clientErrorThenNonZeroExitWithoutRetrying() throws IOException {
        String url = serve(404, 200);
        assertThat(reindex(url)).isEqualTo(1);
        assertThat(requests).hasSize(1);
    }

    @Test
    void nothingListensThenNonZeroExitAfterEveryAttempt(CapturedOutput output) throws IOException {
        assertThat(reindex("http://127.0.0.1:" + closedPort())).isEqualTo(1);
        assertThat(output).contains("ConnectException").contains("failed 3 times");
    }

    @Test
    void missingOrInvalidUrlThenUsageExitCode() {
        assertThat(OpsTasks.run(List.of("search-reindex"))).isEqualTo(2);
        assertThat(OpsTasks.run(List.of("search-reindex", "--couponhub.ops.coupon-service-url=ftp://coupon"))).isEqualTo(2);
        assertThat(OpsTasks.run(List.of("search-reindex", "--couponhub.ops.coupon-service-url=http://coupon:8083?x=1")))
                .isEqualTo(2);
    }

    private int reindex(String url) {
        return OpsTasks.run(List.of("search-reindex",
                "--couponhub.ops.coupon-service-url=" + url,
                "--couponhub.ops.search-reindex.attempts=3",
                "--couponhub.ops.search-reindex.retry-delay=10ms",
                "--couponhub.ops.search-reindex.timeout=5s"));
    }

    /** Answers the given statuses in turn (the last one from then on); 2xx with coupon-service's body. */
    private String serve(Integer... statuses) throws IOException {
        answers.addAll(List.of(statuses));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            int status = answers.size() > 1 ? answers.poll() : answers.peek();
            byte[] body = (status / 100 == 2 ? QUEUED : "{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.spring-boot.actuator.v3+json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
