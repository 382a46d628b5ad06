package dev.couponhub.gateway.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for every backend service on one free port (JDK HTTP server):
 * <ul>
 * <li>{@code /.well-known/jwks.json}: the current key set (counts downloads)</li>
 * <li>{@code /api/v1/notifications/stream}: an SSE stream of {@link #STREAM_EVENTS} events ({@link #LONG_STREAM_EVENTS}
 * with the query {@code long}), one every {@link #STREAM_EVENT_INTERVAL_MILLIS} ms; the first event's data is the echo
 * of the request</li>
 * <li>{@code /internal/v1/session-revocations?after=<id>}: the sessions revoked with {@link #revokeSession(String)}
 * after that id, as user-service lists them (not recorded in {@link #receivedPaths()}: the gateway asks every
 * second)</li>
 * <li>{@code /internal/v1/api-keys/<sha256>}: the key's {@code {keyId, storeId}} as store-service answers it, for the
 * keys given with {@link #addApiKey} and not deleted with {@link #deleteApiKey}, else 404 (counted in
 * {@link #apiKeyLookups()}, not recorded in {@link #receivedPaths()})</li>
 * <li>{@code /api/v1/users/slow}: answers after {@link #SLOW_MILLIS} ms</li>
 * <li>{@code /api/v1/coupons/slow-download}: sends its headers at once, then {@link #SLOW_DOWNLOAD_LINES} lines of
 * CSV, one every {@link #SLOW_DOWNLOAD_INTERVAL_MILLIS} ms (a large export)</li>
 * <li>{@code /api/v1/coupons/<id>/stock/stream}: notification-service's live stock of coupon {@link #SELLING_OUT}
 * (remaining 3, 2, 1, then 0 {@code SOLD_OUT} and the end, one every {@link #STOCK_INTERVAL_MILLIS} ms), of
 * {@link #RESTARTING} (one stock, remaining 10 times the number of its streams opened so far, then the end without a
 * last stock, as at the stream's lifetime or a restart), of {@link #SILENT} (headers, then nothing for 4 s), and 404
 * {@code COUPON_NOT_FOUND} for any other id; each stream opened is counted ({@link #stockStreamsOpened(String)})</li>
 * <li>{@code /v3/api-docs}: a small OpenAPI document naming the service's own address as server</li>
 * <li>{@code /api/v1/stores/problem-<status>}: that status with the service's own problem body
 * ({@link #problemBody(int)})</li>
 * <li>anything else: 200 with JSON {@code {method, path, query, headers}} describing the request as
 * received (raw path and query; header names lower-case, each with its list of values)</li>
 * </ul>
 * Every request path (raw) is recorded in {@link #receivedPaths()}.
 */
public final class TestBackend implements AutoCloseable {

    public static final int STREAM_EVENTS = 4;
    public static final int LONG_STREAM_EVENTS = 30;
    public static final long STREAM_EVENT_INTERVAL_MILLIS = 1000;
    public static final long SLOW_MILLIS = 5000;
    /** How long {@code /api/v1/users/held} holds each request: long enough for many to be in flight at once. */
    public static final long HELD_MILLIS = 300;
    public static final int SLOW_DOWNLOAD_LINES = 6;
    public static final long SLOW_DOWNLOAD_INTERVAL_MILLIS = 600;

    public static final String PROBLEM_PATH_PREFIX = "/api/v1/stores/problem-";
    public static final String SELLING_OUT = "7001";
    public static final String RESTARTING = "7002";
    public static final String SILENT = "7003";
    public static final long STOCK_INTERVAL_MILLIS = 700;
    public static final String COUPON_NOT_FOUND_BODY = "{\"type\":\"https://couponhub.dev/problems/coupon-not-found\","
            + "\"title\":\"Not Found\",\"status\":404,\"detail\":\"There is no coupon with id 9.\",\"code\":\"COUPON_NOT_FOUND\"}";
    private static final java.util.regex.Pattern STOCK_PATH =
            java.util.regex.Pattern.compile("/api/v1/coupons/([^/]+)/stock/stream");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The problem body a service answers on {@code /api/v1/stores/problem-<status>}. */
    public static String problemBody(int status) {
        return "{\"type\":\"https://couponhub.dev/problems/store-not-found\",\"title\":\"from the service\","
                + "\"status\":" + status + ",\"detail\":\"Store 9 does not exist.\",\"instance\":\"/api/v1/stores/9\","
                + "\"code\":\"STORE_NOT_FOUND\"}";
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Queue<String> receivedPaths = new ConcurrentLinkedQueue<>();
    private final AtomicInteger jwksDownloads = new AtomicInteger();
    private volatile String jwks = "{\"keys\":[]}";
    private final List<String> revokedSessions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, String> apiKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger apiKeyLookups = new AtomicInteger();
    private final Map<String, AtomicInteger> stockStreams = new java.util.concurrent.ConcurrentHashMap<>();

    private TestBackend(HttpServer server) {
        this.server = server;
    }

    public static TestBackend start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            TestBackend backend = new TestBackend(server);
            server.createContext("/", backend::handle);
            server.setExecutor(backend.executor);
            server.start();
            return backend;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many stock streams of the coupon were asked of this backend. */
    public int stockStreamsOpened(String couponId) {
        AtomicInteger opened = stockStreams.get(couponId);
        return opened == null ? 0 : opened.get();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI jwksUri() {
        return uri().resolve("/.well-known/jwks.json");
    }

    public void publishKeys(TestSigningKey... keys) {
        this.jwks = TestSigningKey.jwks(keys);
    }

    /** Serves the given text as the key set, e.g. something that is not a key set at all. */
    public void publishRawKeySet(String body) {
        this.jwks = body;
    }

    /** Lists the session as revoked (the next id) from now on, as user-service does after a logout. */
    public void revokeSession(String sessionId) {
        revokedSessions.add(sessionId);
    }

    /** Makes store-service know the key (by its SHA-256, as the gateway asks) as a key of the store. */
    public void addApiKey(String key, long keyId, long storeId) {
        apiKeys.put(sha256(key), "{\"keyId\":" + keyId + ",\"storeId\":" + storeId + "}");
    }

    /** store-service no longer knows the key (deleted by its owner). */
    public void deleteApiKey(String key) {
        apiKeys.remove(sha256(key));
    }

    public int apiKeyLookups() {
        return apiKeyLookups.get();
    }

    private static String sha256(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int jwksDownloads() {
        return jwksDownloads.get();
    }

    public List<String> receivedPaths() {
        return new ArrayList<>(receivedPaths);
    }

    /** A URI on which nothing listens: connections are refused. */
    public static URI closedPortUri() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.setAttribute("bodyLength", exchange.getRequestBody().readAllBytes().length);
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/internal/v1/session-revocations")) {
                respond(exchange, 200, "application/json", revocationsAfter(exchange.getRequestURI().getRawQuery()));
                return;
            }
            if (path.startsWith("/internal/v1/api-keys/")) {
                apiKeyLookups.incrementAndGet();
                String found = apiKeys.get(path.substring("/internal/v1/api-keys/".length()));
                if (found == null) {
                    respond(exchange, 404, "application/json", "{}");
                }
                else {
                    respond(exchange, 200, "application/json", found);
                }
                return;
            }
            receivedPaths.add(path);
            switch (path) {
                case "/.well-known/jwks.json" -> {
                    jwksDownloads.incrementAndGet();
                    respond(exchange, 200, "application/json", jwks);
                }
                case "/api/v1/notifications/stream" -> stream(exchange);
                case "/api/v1/coupons/slow-download" -> slowDownload(exchange);
                case "/api/v1/users/held" -> {
                    sleep(HELD_MILLIS);
                    respond(exchange, 200, "application/json", echo(exchange));
                }
                case "/api/v1/users/slow" -> {
                    sleep(SLOW_MILLIS);
                    respond(exchange, 200, "application/json", echo(exchange));
                }
                case "/v3/api-docs" -> respond(exchange, 200, "application/json",
                        "{\"openapi\":\"3.0.1\",\"info\":{\"title\":\"test service\",\"version\":\"v1\"},"
                                + "\"servers\":[{\"url\":\"" + uri() + "\"}],\"paths\":{}}");
                default -> {
                    java.util.regex.Matcher stock = STOCK_PATH.matcher(path);
                    if (stock.matches()) {
                        stockStream(exchange, stock.group(1));
                    }
                    else if (path.startsWith(PROBLEM_PATH_PREFIX)) {
                        int status = Integer.parseInt(path.substring(PROBLEM_PATH_PREFIX.length()));
                        respond(exchange, status, "application/problem+json", problemBody(status));
                    }
                    else {
                        respond(exchange, 200, "application/json", echo(exchange));
                    }
                }
            }
        }
        catch (IOException e) {
            // the gateway closed the connection (e.g. after a time-out); nothing to do
        }
    }

    private String revocationsAfter(String query) {
        long after = 0;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("after=")) {
                after = Long.parseLong(pair.substring("after=".length()));
            }
        }
        StringBuilder json = new StringBuilder("{\"revocations\":[");
        for (int i = (int) after; i < revokedSessions.size(); i++) {
            json.append(i > after ? "," : "").append("{\"id\":").append(i + 1).append(",\"sessionId\":\"")
                    .append(revokedSessions.get(i)).append("\",\"userId\":1,\"revokedAt\":\"")
                    .append(java.time.Instant.now()).append("\"}");
        }
        return json.append("]}").toString();
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        String query = exchange.getRequestURI().getRawQuery();
        int events = query != null && query.contains("long") ? LONG_STREAM_EVENTS : STREAM_EVENTS;
        for (int i = 0; i < events; i++) {
            String data = i == 0 ? echo(exchange) : "{\"n\":" + i + "}";
            body.write(("id: " + i + "\nevent: TEST\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            body.flush();
            if (i < events - 1) {
                sleep(STREAM_EVENT_INTERVAL_MILLIS);
            }
        }
    }

    private void stockStream(HttpExchange exchange, String couponId) throws IOException {
        int opened = stockStreams.computeIfAbsent(couponId, id -> new AtomicInteger()).incrementAndGet();
        if (!List.of(SELLING_OUT, RESTARTING, SILENT).contains(couponId)) {
            respond(exchange, 404, "application/problem+json", COUPON_NOT_FOUND_BODY);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        body.write(":connected\n\n".getBytes(StandardCharsets.UTF_8));
        body.flush();
        switch (couponId) {
            case SELLING_OUT -> {
                for (int remaining = 3; remaining >= 0; remaining--) {
                    stock(body, couponId, remaining, remaining == 0 ? "SOLD_OUT" : "AVAILABLE");
                    if (remaining > 0) {
                        sleep(STOCK_INTERVAL_MILLIS);
                    }
                }
            }
            case RESTARTING -> {
                stock(body, couponId, opened * 10, "AVAILABLE");
                sleep(STOCK_INTERVAL_MILLIS);
            }
            default -> sleep(4000);
        }
    }

    private static void stock(OutputStream body, String couponId, int remaining, String status) throws IOException {
        body.write(("event:stock\ndata:{\"couponId\":" + couponId + ",\"remainingQuantity\":" + remaining
                + ",\"status\":\"" + status + "\"}\n\n").getBytes(StandardCharsets.UTF_8));
        body.flush();
    }

    private static void slowDownload(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/csv; charset=UTF-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        for (int i = 0; i < SLOW_DOWNLOAD_LINES; i++) {
            body.write(("line," + i + "\n").getBytes(StandardCharsets.UTF_8));
            body.flush();
            if (i < SLOW_DOWNLOAD_LINES - 1) {
                sleep(SLOW_DOWNLOAD_INTERVAL_MILLIS);
            }
        }
    }

    private static String echo(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("method", exchange.getRequestMethod());
        echo.put("path", exchange.getRequestURI().getRawPath());
        echo.put("query", exchange.getRequestURI().getRawQuery());
        echo.put("headers", headers);
        echo.put("bodyLength", exchange.getAttribute("bodyLength"));
        return JSON.writeValueAsString(echo);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
