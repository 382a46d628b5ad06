package dev.couponhub.loadtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The owners' CSV export at scale: a coupon with {@code rows} issued units (1,000,000 by default, written straight
 * into coupon-service's database: claiming them would take minutes and measure something else) exported
 * {@code rounds} times through the gateway as an owner's client would, each read to the end. It prints, per round, the
 * time to the first byte and to the last, rows and megabytes per second and the CPU seconds of each process; then, in
 * one more export that stops halfway for it, coupon-service's heap after a full collection before the export and
 * halfway through it (what the export holds), and its resident memory then.
 * Needs {@code ./couponhub up} and {@code -Dpid} (coupon-service's process) for the memory lines. The rows are deleted
 * at the end. See README.md for the command.
 */
public final class CsvExportBenchmark {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("^\\{\\s*\"id\"\\s*:\\s*(\\d+)");
    private static final String PASSWORD = "load-test-password-42";

    private CsvExportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = System.getProperty("baseUrl", "http://127.0.0.1:8080");
        String metricsUrl = System.getProperty("couponMetricsUrl", "http://127.0.0.1:8083/actuator/prometheus");
        String jdbcUrl = System.getProperty("jdbcUrl", "jdbc:mysql://127.0.0.1:3306/coupon_db");
        Path credentialsFile = Path.of(System.getProperty("credentialsFile", ".devstack/data/credentials.properties"));
        int rows = Integer.getInteger("rows", 1_000_000);
        int rounds = Integer.getInteger("rounds", 3);
        long pid = Long.getLong("pid", 0L);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        String owner = token(http, baseUrl, "csv-bench-owner@example.com");
        long storeId = id(send(http, baseUrl, "POST", "/api/v1/stores", owner, "{\"name\":\"CSV bench store "
                + System.currentTimeMillis() + "\",\"category\":\"CAFE\",\"address\":\"Seoul 1\"}", 201));
        long couponId = id(send(http, baseUrl, "POST", "/api/v1/coupons", owner, "{\"storeId\":" + storeId
                + ",\"name\":\"CSV bench\",\"discountType\":\"FIXED\",\"discountValue\":1000,\"totalQuantity\":"
                + rows + ",\"issueStartsAt\":\"2026-01-01T00:00:00Z\",\"issueEndsAt\":\"2030-12-31T23:59:59Z\","
                + "\"validDaysAfterIssue\":30}", 201));
        String password = DevstackCredentials.password(credentialsFile, "coupon_svc");
        long inserting = System.nanoTime();
        insertIssued(jdbcUrl, password, couponId, rows);
        say("CSV export: coupon %d with %,d issued units (inserted in %.1f s), %d rounds via %s", couponId, rows,
                (System.nanoTime() - inserting) / 1e9, rounds, baseUrl);
        ProcessCpu cpu = ProcessCpu.discover(Path.of(System.getProperty("runDir", ".devstack/run")));
        try {
            // timed rounds, nothing else in their way; then one more whose reader stops halfway for the memory
            for (int round = 1; round <= rounds + (pid > 0 ? 1 : 0); round++) {
                boolean memoryRound = round > rounds;
                long heapBefore = memoryRound ? heapAfterGc(http, metricsUrl, pid) : 0;
                ProcessCpu.Snapshot cpuBefore = cpu.snapshot();
                HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/coupons/" + couponId
                        + "/issued-coupons.csv")).header("Authorization", "Bearer " + owner).GET().build();
                long started = System.nanoTime();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                long firstByte = System.nanoTime();
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("export answered " + response.statusCode());
                }
                long lines = 0;
                long chars = 0;
                long heapHalfway = 0;
                long rssHalfway = 0;
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8), 1 << 16)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines++;
                        chars += line.length() + 2;
                        if (memoryRound && lines == rows / 2) {
                            heapHalfway = heapAfterGc(http, metricsUrl, pid);
                            rssHalfway = rss(pid);
                        }
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                ProcessCpu.Snapshot cpuAfter = cpu.snapshot();
                if (lines - 1 != rows) {
                    throw new IllegalStateException("expected " + rows + " rows, got " + (lines - 1));
                }
                say("");
                if (memoryRound) {
                    say("memory round: coupon-service heap after a full collection %.1f MB before the export, %.1f MB "
                            + "halfway through it; resident memory halfway %.0f MB", heapBefore / 1e6,
                            heapHalfway / 1e6, rssHalfway / 1e6);
                    continue;
                }
                say("round %d of %d: %,d rows + header in %.2f s (first byte after %d ms), %,.0f rows/s, %.1f MB, "
                        + "%.1f MB/s", round, rounds, lines - 1, seconds, (firstByte - started) / 1_000_000,
                        (lines - 1) / seconds, chars / 1e6, chars / 1e6 / seconds);
                StringBuilder used = new StringBuilder();
                cpuAfter.cpuSeconds().forEach((name, total) -> {
                    double spent = total - cpuBefore.cpuSeconds().getOrDefault(name, 0.0);
                    if (spent >= 0.05) {
                        used.append(String.format("%s%s %.1f", used.isEmpty() ? "" : ", ", name, spent));
                    }
                });
                say("cpu seconds: %s; whole machine %.1f", used,
                        cpuAfter.machineBusySeconds() - cpuBefore.machineBusySeconds());
            }
        } finally {
            deleteIssued(jdbcUrl, password, couponId);
        }
    }

    /** Inserts units 1..rows of the coupon, one per user, 100,000 per statement. */
    private static void insertIssued(String jdbcUrl, String password, long couponId, int rows) throws Exception {
        String digits = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                + "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
        String numbers = "SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 1 AS n FROM " + digits
                + " a, " + digits + " b, " + digits + " c, " + digits + " e, " + digits + " f";
        try (Connection db = DriverManager.getConnection(jdbcUrl, "coupon_svc", password);
             PreparedStatement insert = db.prepareStatement("INSERT INTO issued_coupons (coupon_id, user_id, seq, "
                     + "user_seq, per_user_limit, code, status, issued_at, expires_at, redeemed_at, "
                     + "redemption_channel, order_id, order_amount, discount_amount) "
                     + "SELECT ?, 9000000000000 + ? + n, ? + n, 1, 1, "
                     + "CONCAT('B', LPAD(CONV(?, 10, 36), 4, '0'), LPAD(CONV(? + n, 10, 36), 7, '0')), "
                     + "IF(n % 3 = 0, 'REDEEMED', 'ISSUED'), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 30 DAY, "
                     + "IF(n % 3 = 0, UTC_TIMESTAMP(6), NULL), IF(n % 3 = 0, 'COUNTER', NULL), "
                     + "IF(n % 3 = 0, CONCAT('order-', n), NULL), IF(n % 3 = 0, 20000, NULL), "
                     + "IF(n % 3 = 0, 1000, NULL) FROM (" + numbers + ") numbers WHERE n <= ?")) {
            for (int from = 0; from < rows; from += 100_000) {
                insert.setLong(1, couponId);
                insert.setLong(2, from);
                insert.setLong(3, from);
                insert.setLong(4, couponId);
                insert.setLong(5, from);
                insert.setLong(6, Math.min(100_000, rows - from));
                insert.executeUpdate();
            }
            try (PreparedStatement count = db.prepareStatement(
                    "UPDATE coupons SET issued_quantity = ? WHERE id = ?")) {
                count.setLong(1, rows);
                count.setLong(2, couponId);
                count.executeUpdate();
            }
        }
    }

    private static void deleteIssued(String jdbcUrl, String password, long couponId) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "coupon_svc", password);
             Statement delete = db.createStatement()) {
            while (delete.executeUpdate("DELETE FROM issued_coupons WHERE coupon_id = " + couponId
                    + " LIMIT 100000") > 0) {
                // in steps: one transaction of a million rows would grow the undo log for nothing
            }
            delete.executeUpdate("UPDATE coupons SET issued_quantity = 0, ended_at = UTC_TIMESTAMP(6) WHERE id = "
                    + couponId);
        }
    }

    /** coupon-service's heap in use after a full collection (0 without a pid). */
    private static long heapAfterGc(HttpClient http, String metricsUrl, long pid) throws Exception {
        if (pid <= 0) {
            return 0;
        }
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long heap = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return heap;
    }

    private static long rss(long pid) throws IOException {
        if (pid <= 0) {
            return 0;
        }
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }

    private static String token(HttpClient http, String baseUrl, String email) throws Exception {
        String credentials = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
        HttpResponse<String> login = raw(http, baseUrl, "POST", "/api/v1/auth/login", null, credentials);
        if (login.statusCode() == 401) {
            send(http, baseUrl, "POST", "/api/v1/auth/signup", null, "{\"email\":\"" + email + "\",\"password\":\""
                    + PASSWORD + "\",\"name\":\"CSV bench owner\",\"role\":\"OWNER\"}", 201);
            login = raw(http, baseUrl, "POST", "/api/v1/auth/login", null, credentials);
        }
        Matcher matcher = ACCESS_TOKEN.matcher(login.body());
        if (login.statusCode() != 200 || !matcher.find()) {
            throw new IllegalStateException("login of " + email + " answered " + login.statusCode());
        }
        return matcher.group(1);
    }

    private static String send(HttpClient http, String baseUrl, String method, String path, String token, String body,
                               int expected) throws Exception {
        HttpResponse<String> response = raw(http, baseUrl, method, path, token, body);
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    private static HttpResponse<String> raw(HttpClient http, String baseUrl, String method, String path, String token,
                                            String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long id(String json) {
        Matcher matcher = ID.matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return Long.parseLong(matcher.group(1));
    }


    private static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
