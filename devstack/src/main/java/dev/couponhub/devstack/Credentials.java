package dev.couponhub.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Database passwords of the service users and of the master user, generated once (random, URL-safe) and kept in
 * {@code <dataDir>/credentials.properties}, readable by the owner only.
 */
final class Credentials {

    /** Services that own a schema {@code <service>_db} and a user {@code <service>_svc}. */
    static final List<String> SERVICES = List.of("user", "store", "coupon", "notification", "batch");

    /**
     * The devstack's counterpart of the RDS master user (same default name as Terraform's {@code db_master_username}):
     * every privilege with grant option, for tools that provision schemas and users (ops-tasks' db-bootstrap).
     */
    static final String MASTER_USER = "couponhub_admin";

    static final String FILE_NAME = "credentials.properties";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> passwordsByService;
    private final String masterPassword;

    private Credentials(Map<String, String> passwordsByService, String masterPassword) {
        this.passwordsByService = Map.copyOf(passwordsByService);
        this.masterPassword = masterPassword;
    }

    static Credentials loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Properties stored = new Properties();
            if (Files.exists(file)) {
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    stored.load(reader);
                }
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            Map<String, String> passwords = new LinkedHashMap<>();
            boolean generated = false;
            for (String service : SERVICES) {
                String password = stored.getProperty(userOf(service));
                if (password == null || password.isBlank()) {
                    password = newPassword();
                    generated = true;
                }
                passwords.put(service, password);
            }
            String masterPassword = stored.getProperty(MASTER_USER);
            if (masterPassword == null || masterPassword.isBlank()) {
                masterPassword = newPassword();
                generated = true;
            }
            if (generated) {
                write(file, passwords, masterPassword);
            }
            return new Credentials(passwords, masterPassword);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }

    static String userOf(String service) {
        return service + "_svc";
    }

    static String schemaOf(String service) {
        return service + "_db";
    }

    static String requireService(String service) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("Service '" + service + "' has no database; services with one: "
                    + String.join(", ", SERVICES));
        }
        return service;
    }

    String password(String service) {
        return passwordsByService.get(requireService(service));
    }

    String masterPassword() {
        return masterPassword;
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void write(Path file, Map<String, String> passwords, String masterPassword) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            writer.write("# Database passwords of the Couponhub devstack (generated). Keep this file private.\n");
            for (Map.Entry<String, String> entry : passwords.entrySet()) {
                writer.write(userOf(entry.getKey()) + "=" + entry.getValue() + "\n");
            }
            writer.write(MASTER_USER + "=" + masterPassword + "\n");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
}
