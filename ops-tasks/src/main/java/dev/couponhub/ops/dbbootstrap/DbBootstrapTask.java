package dev.couponhub.ops.dbbootstrap;

import dev.couponhub.ops.OpsTask;
import dev.couponhub.ops.secrets.Passwords;
import dev.couponhub.ops.secrets.SecretStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code db-bootstrap}: makes MySQL ready for the services, as the master user. Idempotent; every run
 * <ol>
 *   <li>checks the whole configuration ({@link BootstrapPlan}) and stops before anything else if it is wrong;</li>
 *   <li>fills every secret that has no value yet with a generated password ({@link Passwords});</li>
 *   <li>for each database: creates the schema (utf8mb4) and the user {@code 'user'@'%'} if missing, sets the user's
 *       password to the secret's current value (so a rotated secret is applied), grants every privilege on the
 *       schema and the listed global privileges. It revokes nothing.</li>
 * </ol>
 * Passwords reach the server as bind parameters of client-side prepared statements (the driver quotes and escapes
 * them); they are never logged, and are masked in error messages.
 */
@Component
class DbBootstrapTask implements OpsTask {

    private static final Logger log = LoggerFactory.getLogger(DbBootstrapTask.class);

    private final DbBootstrapProperties properties;
    private final ObjectProvider<SecretStore> secretStore;

    DbBootstrapTask(DbBootstrapProperties properties, ObjectProvider<SecretStore> secretStore) {
        this.properties = properties;
        this.secretStore = secretStore;
    }

    @Override
    public String command() {
        return "db-bootstrap";
    }

    @Override
    public void run() throws SQLException {
        BootstrapPlan plan = BootstrapPlan.of(properties);
        SecretStore secrets = secretStore.getObject();
        fillEmptySecrets(plan, secrets);

        List<String> masked = new ArrayList<>(List.of(plan.masterPassword()));
        Connection connection;
        try {
            connection = connect(plan);
        } catch (SQLException e) {
            throw failure("connecting to " + plan.host() + ":" + plan.port() + " as " + plan.masterUsername(), e,
                    masked);
        }
        try (connection) {
            log.info("Connected to {} {} at {}:{} as {}", connection.getMetaData().getDatabaseProductName(),
                    connection.getMetaData().getDatabaseProductVersion(), plan.host(), plan.port(),
                    plan.masterUsername());
            for (DatabaseAccount account : plan.accounts()) {
                String password = secrets.currentValue(account.passwordSecretId()).orElseThrow(() ->
                        new IllegalStateException("Secret " + account.passwordSecretId() + " has no value"));
                masked.add(password);
                try {
                    prepare(connection, account, password);
                } catch (SQLException e) {
                    throw failure("database " + account.schema() + ", user " + account.account(), e, masked);
                }
            }
        }
    }

    /** The server's message with every password in it masked, without the original exception (which holds it). */
    private static SQLException failure(String what, SQLException e, List<String> passwords) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        for (String password : passwords) {
            if (password == null || password.isEmpty()) {
                continue;
            }
            // as given, and as the driver or the server may have quoted it in a statement
            for (String form : List.of(password, password.replace("\\", "\\\\").replace("'", "\\'"),
                    password.replace("'", "''"))) {
                message = message.replace(form, "****");
            }
        }
        return new SQLException(what + ": " + message, e.getSQLState(), e.getErrorCode());
    }

    private static void fillEmptySecrets(BootstrapPlan plan, SecretStore secrets) {
        for (String secretId : plan.secretIds()) {
            if (secrets.currentValue(secretId).isPresent()) {
                log.info("Secret {}: has a value, kept", secretId);
            } else {
                secrets.putValue(secretId, Passwords.generate());
                log.info("Secret {}: had no value, stored a generated password ({} characters)", secretId,
                        Passwords.LENGTH);
            }
        }
    }

    private static Connection connect(BootstrapPlan plan) throws SQLException {
        Properties connection = new Properties();
        connection.setProperty("user", plan.masterUsername());
        connection.setProperty("password", plan.masterPassword());
        connection.setProperty("connectTimeout", "10000");
        connection.setProperty("socketTimeout", "120000");
        // "?" is replaced by the driver with a quoted, escaped literal: the form that works in CREATE/ALTER USER,
        // which server-side prepared statements do not take
        connection.setProperty("useServerPrepStmts", "false");
        return DriverManager.getConnection("jdbc:mysql://" + plan.host() + ":" + plan.port() + "/", connection);
    }

    private static void prepare(Connection connection, DatabaseAccount account, String password) throws SQLException {
        boolean schemaExisted = exists(connection,
                "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", account.schema());
        boolean userExisted = exists(connection,
                "SELECT 1 FROM mysql.user WHERE User = ? AND Host = '" + DatabaseAccount.HOST + "'", account.user());
        try (Statement statement = connection.createStatement()) {
            statement.execute(account.createDatabase());
        }
        withPassword(connection, account.createUser(), password);
        withPassword(connection, account.alterUser(), password);
        try (Statement statement = connection.createStatement()) {
            statement.execute(account.grantSchema());
            for (String grant : account.grantGlobal()) {
                statement.execute(grant);
            }
        }
        log.info("Database {}: schema {}; user {} {}, password set from secret {}; granted ALL PRIVILEGES ON {}.*{}",
                account.schema(), schemaExisted ? "existed" : "created", account.account(),
                userExisted ? "existed" : "created", account.passwordSecretId(), account.schema(),
                account.globalPrivileges().isEmpty() ? ""
                        : ", " + String.join(", ", account.globalPrivileges()) + " ON *.*");
    }

    private static boolean exists(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (var rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void withPassword(Connection connection, String sql, String password) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, password);
            statement.execute();
        }
    }
}
