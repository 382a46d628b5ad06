package dev.couponhub.ops.dbbootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.couponhub.devstack.Component;
import dev.couponhub.devstack.Devstack;
import dev.couponhub.ops.InMemorySecretStore;
import dev.couponhub.ops.OpsTasks;
import dev.couponhub.testsupport.TestDevstack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * db-bootstrap against the real MariaDB of the test devstack, as its master user, with the in-memory secret store
 * (there is no local Secrets Manager). Each test uses its own schemas and users ({@code opsit<n>_...}). The global
 * privilege is PROCESS: XA_RECOVER_ADMIN, which coupon_svc gets on AWS, exists in MySQL 8 only (see
 * {@link #globalPrivilegeTheServerDoesNotKnowThenNonZeroExit}).
 */
@ExtendWith(OutputCaptureExtension.class)
class DbBootstrapIT {

    private static Devstack devstack;

    @BeforeAll
    static void startMariaDb() {
        devstack = TestDevstack.start(Component.MARIADB);
    }

    @Test
    void emptySecretsAreFilledAndEachUserReachesItsOwnSchemaOnly(CapturedOutput output) throws Exception {
        InMemorySecretStore secrets = new InMemorySecretStore()
                .create("opsit1/a").create("opsit1/admin");
        secrets.putValue("opsit1/b", "a-password-the-operator-chose-1");

        List<String> databases = new ArrayList<>(database(0, "opsit1_a_db", "opsit1_a_svc", "opsit1/a", "PROCESS"));
        databases.addAll(database(1, "opsit1_b_db", "opsit1_b_svc", "opsit1/b"));
        assertThat(bootstrap(secrets, databases, "opsit1/admin")).isZero();

        assertThat(secrets.value("opsit1/a")).matches("[A-Za-z0-9._~-]{40}");
        assertThat(secrets.value("opsit1/admin")).matches("[A-Za-z0-9._~-]{40}").isNotEqualTo(secrets.value("opsit1/a"));
        assertThat(secrets.value("opsit1/b")).isEqualTo("a-password-the-operator-chose-1");

        for (String name : List.of("a", "b")) {
            String other = "a".equals(name) ? "b" : "a";
            try (Connection connection = connect("opsit1_" + name + "_db", "opsit1_" + name + "_svc",
                    secrets.value("opsit1/" + name));
                 Statement statement = connection.createStatement()) {
                // what Flyway and the service do in their own schema
                statement.execute("CREATE TABLE probe (id BIGINT PRIMARY KEY, label VARCHAR(50) NOT NULL)");
                statement.execute("CREATE INDEX probe_label ON probe (label)");
                statement.execute("INSERT INTO probe VALUES (1, '서울 카페')");
                assertThat(single(statement, "SELECT label FROM probe WHERE id = 1")).isEqualTo("서울 카페");
                statement.execute("ALTER TABLE probe ADD COLUMN note VARCHAR(10)");

                assertThatThrownBy(() -> statement.execute("SELECT * FROM opsit1_" + other + "_db.probe"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("denied");
                assertThatThrownBy(() -> statement.execute("CREATE TABLE opsit1_" + other + "_db.intruder (id INT)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("denied");
                // "_" is a wildcard in a schema grant unless escaped: opsit1_a_db must not cover opsit1xaxdb
                assertThatThrownBy(() -> statement.execute("CREATE DATABASE opsit1x" + name + "xdb"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("denied");
                assertThatThrownBy(() -> statement.execute("CREATE USER 'opsit1_intruder'@'%'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("denied");
            }
            assertThatThrownBy(() -> connect("opsit1_" + other + "_db", "opsit1_" + name + "_svc",
                    secrets.value("opsit1/" + name)).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        }

        // the global privilege: PROCESS lets opsit1_a_svc see the master user's connection; opsit1_b_svc sees its own
        try (Connection master = connectAsMaster()) {
            String others = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '"
                    + devstack.dbMasterUser() + "'";
            try (Connection a = connect("opsit1_a_db", "opsit1_a_svc", secrets.value("opsit1/a"));
                 Statement statement = a.createStatement()) {
                assertThat(Integer.parseInt(single(statement, others))).isPositive();
            }
            try (Connection b = connect("opsit1_b_db", "opsit1_b_svc", secrets.value("opsit1/b"));
                 Statement statement = b.createStatement()) {
                assertThat(Integer.parseInt(single(statement, others))).isZero();
            }
        }
        assertNoPasswordIn(output, secrets, "opsit1/a", "opsit1/b", "opsit1/admin");
    }

    @Test
    void secondRunChangesNothingAndARotatedSecretReplacesThePassword(CapturedOutput output) throws Exception {
        InMemorySecretStore secrets = new InMemorySecretStore().create("opsit2/a").create("opsit2/admin");
        List<String> databases = database(0, "opsit2_a_db", "opsit2_a_svc", "opsit2/a", "PROCESS");
        assertThat(bootstrap(secrets, databases, "opsit2/admin")).isZero();
        String password = secrets.value("opsit2/a");
        String adminPassword = secrets.value("opsit2/admin");
        try (Connection connection = connect("opsit2_a_db", "opsit2_a_svc", password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO kept VALUES (7)");
        }
        List<String> grantsBefore = grants("opsit2_a_svc");
        int putsBefore = secrets.puts().size();

        assertThat(bootstrap(secrets, databases, "opsit2/admin")).isZero();

        assertThat(secrets.puts()).hasSize(putsBefore);
        assertThat(secrets.value("opsit2/a")).isEqualTo(password);
        assertThat(secrets.value("opsit2/admin")).isEqualTo(adminPassword);
        assertThat(grants("opsit2_a_svc")).isEqualTo(grantsBefore);
        try (Connection connection = connect("opsit2_a_db", "opsit2_a_svc", password);
             Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT id FROM kept")).isEqualTo("7");
        }
        assertThat(output).contains("schema existed; user 'opsit2_a_svc'@'%' existed");

        // a rotated secret, with characters that need quoting in SQL
        String rotated = "rotated 'quote' \\backslash\\ \"double\" %_;-- " + password;
        secrets.putValue("opsit2/a", rotated);
        assertThat(bootstrap(secrets, databases, "opsit2/admin")).isZero();

        assertThatThrownBy(() -> connect("opsit2_a_db", "opsit2_a_svc", password).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        try (Connection connection = connect("opsit2_a_db", "opsit2_a_svc", rotated);
             Statement statement = connection.createStatement()) {
            assertThat(single(statement, "SELECT id FROM kept")).isEqualTo("7");
        }
        assertThat(output).doesNotContain(password).doesNotContain(rotated).doesNotContain(adminPassword)
                .doesNotContain(devstack.dbMasterPassword());
    }

    @Test
    void invalidIdentifiersAreRefusedBeforeAnySecretOrSqlIsTouched(CapturedOutput output) throws Exception {
        InMemorySecretStore secrets = new InMemorySecretStore().create("opsit3/a").create("opsit3/b");
        List<String> databases = new ArrayList<>(database(0, "opsit3_a_db", "opsit3_a_svc", "opsit3/a"));
        databases.addAll(List.of(
                "--couponhub.ops.databases[1].schema=opsit3_b_db`; DROP DATABASE opsit1_a_db; --",
                "--couponhub.ops.databases[1].user=opsit3_b_svc",
                "--couponhub.ops.databases[1].password-secret-id=opsit3/b"));

        assertThat(bootstrap(secrets, databases)).isEqualTo(2);

        assertThat(output).contains("couponhub.ops.databases[1].schema must match");
        assertThat(secrets.puts()).isEmpty();
        try (Connection master = connectAsMaster(); Statement statement = master.createStatement()) {
            assertThat(single(statement, "SELECT COUNT(*) FROM information_schema.SCHEMATA "
                    + "WHERE SCHEMA_NAME LIKE 'opsit3%'")).isEqualTo("0");
            assertThat(single(statement, "SELECT COUNT(*) FROM mysql.user WHERE User LIKE 'opsit3%'")).isEqualTo("0");
        }
    }

    @Test
    void globalPrivilegeTheServerDoesNotKnowThenNonZeroExit(CapturedOutput output) {
        InMemorySecretStore secrets = new InMemorySecretStore().create("opsit4/a");
        // coupon_svc's privilege on AWS; MariaDB has no such privilege and refuses the GRANT
        assertThat(bootstrap(secrets, database(0, "opsit4_a_db", "opsit4_a_svc", "opsit4/a", "XA_RECOVER_ADMIN")))
                .isEqualTo(1);
        assertThat(output).contains("database opsit4_a_db, user 'opsit4_a_svc'@'%'");
        assertNoPasswordIn(output, secrets, "opsit4/a");
    }

    @Test
    void wrongMasterPasswordThenNonZeroExitWithoutThePasswordInTheLog(CapturedOutput output) {
        InMemorySecretStore secrets = new InMemorySecretStore().create("opsit5/a");
        List<String> args = new ArrayList<>(common("not-the-master-password-5"));
        args.addAll(database(0, "opsit5_a_db", "opsit5_a_svc", "opsit5/a"));
        assertThat(OpsTasks.run(secrets, args)).isEqualTo(1);
        assertThat(output).contains("Access denied").doesNotContain("not-the-master-password-5");
    }

    private int bootstrap(InMemorySecretStore secrets, List<String> databases, String... generatedSecrets) {
        List<String> args = new ArrayList<>(common(devstack.dbMasterPassword()));
        args.addAll(databases);
        for (int j = 0; j < generatedSecrets.length; j++) {
            args.add("--couponhub.ops.generated-secrets[" + j + "]=" + generatedSecrets[j]);
        }
        return OpsTasks.run(secrets, args);
    }

    /** The command and the server, as the ECS task gets them (DB_* as properties here, environment there). */
    private static List<String> common(String masterPassword) {
        return List.of("db-bootstrap",
                "--DB_HOST=127.0.0.1",
                "--DB_PORT=" + devstack.mariadbPort(),
                "--DB_MASTER_USERNAME=" + devstack.dbMasterUser(),
                "--DB_MASTER_PASSWORD=" + masterPassword);
    }

    /** The properties of the i-th database. */
    private static List<String> database(int i, String schema, String user, String secretId, String... privileges) {
        String prefix = "--couponhub.ops.databases[" + i + "].";
        List<String> args = new ArrayList<>(List.of(prefix + "schema=" + schema, prefix + "user=" + user,
                prefix + "password-secret-id=" + secretId));
        for (int k = 0; k < privileges.length; k++) {
            args.add(prefix + "global-privileges[" + k + "]=" + privileges[k]);
        }
        return args;
    }

    private static Connection connect(String schema, String user, String password) throws SQLException {
        return DriverManager.getConnection(devstack.jdbcUrl(schema), user, password);
    }

    private static Connection connectAsMaster() throws SQLException {
        return DriverManager.getConnection(devstack.jdbcUrl(""), devstack.dbMasterUser(), devstack.dbMasterPassword());
    }

    private static List<String> grants(String user) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Connection master = connectAsMaster(); Statement statement = master.createStatement();
             ResultSet rows = statement.executeQuery("SHOW GRANTS FOR '" + user + "'@'%'")) {
            while (rows.next()) {
                grants.add(rows.getString(1));
            }
        }
        return grants;
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getString(1);
        }
    }

    private static void assertNoPasswordIn(CapturedOutput output, InMemorySecretStore secrets, String... secretIds) {
        for (String id : secretIds) {
            secrets.currentValue(id).ifPresent(value -> assertThat(output).doesNotContain(value));
        }
        assertThat(output).doesNotContain(devstack.dbMasterPassword());
    }
}
