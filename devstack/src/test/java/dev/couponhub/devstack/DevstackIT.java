package dev.couponhub.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Starts every component once, on free ports in a temporary directory, and checks each against its real server.
 * The tests of order 1 share the running devstack; order 2 closes it; order 3 restarts on the same directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevstackIT {

    private static final String RESTART_KEY = "devstack-it:restart";
    private static final String RESTART_VALUE = "쿠폰-42";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Path> tempDirs = new ArrayList<>();
    private Path dataDir;
    private Devstack devstack;
    private Devstack restarted;
    private final Map<String, String> passwordsBeforeRestart = new LinkedHashMap<>();

    @BeforeAll
    void startEveryComponent() throws Exception {
        dataDir = newDataDir();
        devstack = Devstack.start(DevstackConfig.builder(dataDir).build());
        for (String service : Credentials.SERVICES) {
            passwordsBeforeRestart.put(service, devstack.dbPassword(service));
        }
        try (Connection connection = connect(devstack, "user");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE restart_probe (id BIGINT PRIMARY KEY, label VARCHAR(50) NOT NULL)");
            statement.execute("INSERT INTO restart_probe VALUES (1, '" + RESTART_VALUE + "')");
        }
        assertThat(redis(devstack.redisPort(), "SET", RESTART_KEY, RESTART_VALUE)).isEqualTo("OK");
    }

    @AfterAll
    void stopAndClean() {
        if (restarted != null) {
            restarted.close();
        }
        if (devstack != null) {
            devstack.close();
        }
        tempDirs.forEach(Os::deleteTree);
    }

    @Test
    @Order(1)
    void serviceUserCanCreateTablesInItsOwnSchemaAndIsDeniedEverywhereElse() throws Exception {
        List<String> services = Credentials.SERVICES;
        for (int i = 0; i < services.size(); i++) {
            String service = services.get(i);
            String otherSchema = services.get((i + 1) % services.size()) + "_db";
            try (Connection connection = connect(devstack, service);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE probe (id BIGINT PRIMARY KEY, label VARCHAR(50) NOT NULL)");
                statement.execute("INSERT INTO probe VALUES (1, '서울 카페')");
                try (ResultSet rows = statement.executeQuery("SELECT label FROM probe WHERE id = 1")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("서울 카페");
                }
                statement.execute("DROP TABLE probe");

                assertThatThrownBy(() -> statement.execute("CREATE TABLE " + otherSchema + ".probe (id INT)"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("denied");
                assertThatThrownBy(() -> statement.execute("CREATE DATABASE test_" + service))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("denied");
                assertThatThrownBy(() -> statement.execute("CREATE TABLE test.probe (id INT)"))
                        .isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(() -> DriverManager.getConnection(devstack.jdbcUrl(otherSchema),
                    devstack.dbUser(service), devstack.dbPassword(service)).close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Access denied");
        }
    }

    @Test
    @Order(1)
    void masterUserCreatesSchemasAndUsersAndGrantsOverTcp() throws Exception {
        try (Connection connection = DriverManager.getConnection(devstack.jdbcUrl(""), devstack.dbMasterUser(),
                devstack.dbMasterPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE master_probe_db");
            statement.execute("CREATE USER 'master_probe'@'%' IDENTIFIED BY 'probe-password-1'");
            statement.execute("GRANT ALL PRIVILEGES ON master_probe_db.* TO 'master_probe'@'%'");
            statement.execute("DROP USER 'master_probe'@'%'");
            statement.execute("DROP DATABASE master_probe_db");
        }
    }

    @Test
    @Order(1)
    void credentialsAreRandomPerServiceAndReadableByTheOwnerOnly() throws Exception {
        List<String> passwords = new ArrayList<>(passwordsBeforeRestart.values());
        passwords.add(devstack.dbMasterPassword());
        assertThat(passwords).doesNotHaveDuplicates()
                .allSatisfy(password -> assertThat(password).matches("[A-Za-z0-9_-]{32}"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dataDir.resolve(Credentials.FILE_NAME)))).isEqualTo("rw-------");
        assertThat(devstack.dbUser("coupon")).isEqualTo("coupon_svc");
    }

    @Test
    @Order(1)
    void redisStoresAndReturnsAValue() throws Exception {
        assertThat(redis(devstack.redisPort(), "SET", "devstack-it:greeting", "안녕")).isEqualTo("OK");
        assertThat(redis(devstack.redisPort(), "GET", "devstack-it:greeting")).isEqualTo("안녕");
        assertThat(redis(devstack.redisPort(), "CONFIG", "GET", "appendonly")).contains("yes");
    }

    @Test
    @Order(1)
    void queuesExistWithTheirDeadLetterQueues() {
        try (SqsClient sqs = sqsClient()) {
            List<String> urls = sqs.listQueues().queueUrls();
            for (String queue : List.of("coupon-events-notification", "coupon-events-stats", "store-events-coupon")) {
                assertThat(urls).anyMatch(url -> url.endsWith("/" + queue));
                assertThat(urls).anyMatch(url -> url.endsWith("/" + queue + "-dlq"));
                String url = sqs.getQueueUrl(request -> request.queueName(queue)).queueUrl();
                Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(request -> request
                        .queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
                assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("30");
                assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY))
                        .contains(":" + queue + "-dlq")
                        .containsPattern("\"maxReceiveCount\"\\s*:\\s*\"?12\"?");
            }
        }
    }

    @Test
    @Order(1)
    void messageReceivedMaxReceiveCountTimesWithoutDeleteMovesToTheDeadLetterQueue() {
        try (SqsClient sqs = sqsClient()) {
            String url = sqs.getQueueUrl(request -> request.queueName("coupon-events-stats")).queueUrl();
            String dlqUrl = sqs.getQueueUrl(request -> request.queueName("coupon-events-stats-dlq")).queueUrl();
            String body = "{\"eventId\":\"it-1\",\"type\":\"COUPON_CLAIMED\"}";
            sqs.sendMessage(request -> request.queueUrl(url).messageBody(body));

            for (int attempt = 1; attempt <= SqsServer.MAX_RECEIVE_COUNT; attempt++) {
                List<Message> received = sqs.receiveMessage(request -> request.queueUrl(url)
                        .maxNumberOfMessages(1).waitTimeSeconds(2)).messages();
                assertThat(received).as("receive #%d", attempt).hasSize(1);
                assertThat(received.get(0).body()).isEqualTo(body);
                String receipt = received.get(0).receiptHandle();
                sqs.changeMessageVisibility(request -> request.queueUrl(url).receiptHandle(receipt)
                        .visibilityTimeout(0));
            }

            assertThat(sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(1)
                    .waitTimeSeconds(1)).messages()).isEmpty();
            List<Message> deadLetters = sqs.receiveMessage(request -> request.queueUrl(dlqUrl)
                    .maxNumberOfMessages(1).waitTimeSeconds(2)).messages();
            assertThat(deadLetters).extracting(Message::body).containsExactly(body);
        }
    }

    @Test
    @Order(1)
    void mailSentOverSmtpIsReadableThroughTheHttpApi() throws Exception {
        Properties settings = new Properties();
        settings.setProperty("mail.smtp.host", "127.0.0.1");
        settings.setProperty("mail.smtp.port", String.valueOf(devstack.smtpPort()));
        MimeMessage mail = new MimeMessage(Session.getInstance(settings));
        mail.setFrom(new InternetAddress("no-reply@couponhub.dev"));
        mail.setRecipient(RecipientType.TO, new InternetAddress("shopper-it@example.com"));
        mail.setSubject("Your coupon is ready", "UTF-8");
        mail.setText("서울 카페 할인 쿠폰", "UTF-8");
        Transport.send(mail);

        HttpResponse<String> messages = get(devstack.mailApiUrl() + "/api/user/shopper-it@example.com/messages/");
        assertThat(messages.statusCode()).isEqualTo(200);
        assertThat(messages.body()).contains("\"subject\":\"Your coupon is ready\"")
                .contains("no-reply@couponhub.dev");

        HttpResponse<String> purge = http.send(HttpRequest.newBuilder(
                        URI.create(devstack.mailApiUrl() + "/api/mail/purge"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(purge.statusCode()).isEqualTo(200);
        assertThat(get(devstack.mailApiUrl() + "/api/user/shopper-it@example.com/messages/").body())
                .isEqualTo("[]");
    }

    @Test
    @Order(1)
    void elasticsearchFindsKoreanTextByOneOfItsWords() throws Exception {
        String es = devstack.elasticsearchUrl();
        HttpResponse<String> indexed = http.send(HttpRequest.newBuilder(
                        URI.create(es + "/devstack-it/_doc/1?refresh=true"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"title\":\"서울 카페 할인 쿠폰\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(indexed.statusCode()).isEqualTo(201);

        HttpResponse<String> hit = search(es, "카페");
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.body()).containsPattern("\"total\":\\{\"value\":1,").contains("서울 카페 할인 쿠폰");
        assertThat(search(es, "피자").body()).containsPattern("\"total\":\\{\"value\":0,");
    }

    @Test
    @Order(1)
    void zipkinTakesSpansAndAnswersTheirTraceAndItsUi() throws Exception {
        String zipkin = devstack.zipkinUrl();
        assertThat(zipkin).startsWith("http://127.0.0.1:");
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(zipkin + "/api/v2/spans"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"traceId\":\"" + traceId + "\",\"id\":\"00f067aa0ba902b7\","
                        + "\"kind\":\"SERVER\",\"name\":\"post /api/v1/coupons/{id}/claim\",\"timestamp\":"
                        + System.currentTimeMillis() * 1000 + ",\"duration\":1500,"
                        + "\"localEndpoint\":{\"serviceName\":\"coupon-service\"}}]"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

        HttpResponse<String> trace = null;
        for (int i = 0; i < 40 && (trace == null || trace.statusCode() != 200); i++) {
            Thread.sleep(250);
            trace = get(zipkin + "/api/v2/trace/" + traceId);
        }
        assertThat(trace.statusCode()).isEqualTo(200);
        assertThat(trace.body()).contains("\"serviceName\":\"coupon-service\"").contains("00f067aa0ba902b7");
        assertThat(get(zipkin + "/zipkin/").statusCode()).as("the UI").isEqualTo(200);
    }

    @Test
    @Order(1)
    void secondDevstackOnALockedDataDirectoryFailsClearlyAndTouchesNothing() throws Exception {
        String credentials = Files.readString(dataDir.resolve(Credentials.FILE_NAME));
        DevstackConfig second = DevstackConfig.builder(dataDir).components(Component.REDIS).wipe(true).build();

        assertThatThrownBy(() -> Devstack.start(second))
                .isInstanceOf(DevstackException.class)
                .hasMessageContaining("Data directory " + dataDir + " is already in use by another devstack");

        assertThat(Files.readString(dataDir.resolve(Credentials.FILE_NAME))).isEqualTo(credentials);
        assertThat(dataDir.resolve("mariadb")).isDirectory();
        assertThat(redis(devstack.redisPort(), "GET", RESTART_KEY)).isEqualTo(RESTART_VALUE);
    }

    @Test
    @Order(1)
    void takenPortFailsWithAMessageNamingComponentAndPortBeforeAnythingStarts() throws Exception {
        Path otherDir = newDataDir();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            DevstackConfig config = DevstackConfig.builder(otherDir)
                    .components(Component.MARIADB, Component.REDIS)
                    .port(Component.REDIS, port)
                    .build();

            assertThatThrownBy(() -> Devstack.start(config))
                    .isInstanceOf(DevstackException.class)
                    .hasMessageContaining("Port " + port + " for Redis is already in use");
        }
        assertThat(otherDir.resolve("mariadb")).doesNotExist();
        assertThat(otherDir.resolve("mariadb-base")).doesNotExist();
    }

    @Test
    @Order(2)
    void closeStopsEveryServerAndLeavesNoProcessBehind() {
        ProcessHandle elasticsearch = devstack.elasticsearchProcess();
        List<ProcessHandle> before = serverProcesses();
        assertThat(elasticsearch).isNotNull();
        assertThat(before).contains(elasticsearch);
        assertThat(before).as("Elasticsearch launcher and server, MariaDB, Redis").hasSizeGreaterThanOrEqualTo(4);

        devstack.close();

        assertThat(before).noneMatch(ProcessHandle::isAlive);
        assertThat(serverProcesses()).isEmpty();
        assertThat(ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(process -> commandLine(process).contains(dataDir.toString())))
                .isEmpty();
    }

    @Test
    @Order(3)
    void restartOnTheSameDataDirectoryKeepsDataAndReusesCredentials() throws Exception {
        devstack.close();
        restarted = Devstack.start(DevstackConfig.builder(dataDir)
                .components(Component.MARIADB, Component.REDIS)
                .build());

        for (String service : Credentials.SERVICES) {
            assertThat(restarted.dbPassword(service)).isEqualTo(passwordsBeforeRestart.get(service));
        }
        try (Connection connection = connect(restarted, "user");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT label FROM restart_probe WHERE id = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(RESTART_VALUE);
        }
        assertThat(redis(restarted.redisPort(), "GET", RESTART_KEY)).isEqualTo(RESTART_VALUE);
    }

    private Path newDataDir() throws IOException {
        Path dir = Files.createTempDirectory("devstack-it-");
        // Elasticsearch may run as an unprivileged user, who must be able to reach the directory
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        tempDirs.add(dir);
        return dir;
    }

    private static Connection connect(Devstack devstack, String service) throws SQLException {
        return DriverManager.getConnection(devstack.jdbcUrl(service + "_db"), devstack.dbUser(service),
                devstack.dbPassword(service));
    }

    private SqsClient sqsClient() {
        return SqsClient.builder()
                .endpointOverride(URI.create(devstack.sqsEndpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> search(String es, String word) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(es + "/devstack-it/_search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":{\"match\":{\"title\":\"" + word + "\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Processes started for this test's data directory, found among this JVM's descendants. */
    private List<ProcessHandle> serverProcesses() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(process -> commandLine(process).contains(dataDir.toString())
                        || commandLine(process).contains("elasticsearch"))
                .collect(Collectors.toList());
    }

    private static String commandLine(ProcessHandle process) {
        return process.info().commandLine().orElse("");
    }

    /** One Redis command over RESP; returns the simple or bulk string reply (errors as "-..."). */
    private static String redis(int port, String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            return readReply(new BufferedInputStream(socket.getInputStream()));
        }
    }

    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        switch (line.charAt(0)) {
            case '+', '-', ':' -> {
                return line.charAt(0) == '-' ? line : line.substring(1);
            }
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line.substring(1));
                List<String> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(readReply(in));
                }
                return String.join(" ", items);
            }
            default -> throw new IOException("Unexpected RESP reply: " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int current;
        while ((current = in.read()) != -1) {
            if (previous == '\r' && current == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(current);
            previous = current;
        }
        throw new IOException("Connection closed by Redis");
    }
}
