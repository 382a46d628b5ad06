package dev.couponhub.ops.dbbootstrap;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What db-bootstrap prepares. Checked by {@link BootstrapPlan} when the task runs (not at start-up, so that
 * search-reindex runs without any of it).
 *
 * @param db               the server and its master user ({@code DB_HOST}, {@code DB_PORT}, {@code DB_MASTER_USERNAME},
 *                         {@code DB_MASTER_PASSWORD}, see application.yml)
 * @param databases        one schema and its user per service
 * @param generatedSecrets further secrets to fill with a generated password when they have no value yet (the admin
 *                         password, for instance); the databases' secrets are filled the same way
 */
@ConfigurationProperties("couponhub.ops")
public record DbBootstrapProperties(Db db, List<Database> databases, List<String> generatedSecrets) {

    public DbBootstrapProperties {
        db = db == null ? new Db(null, null, null, null) : db;
        databases = databases == null ? List.of() : List.copyOf(databases);
        generatedSecrets = generatedSecrets == null ? List.of() : List.copyOf(generatedSecrets);
    }

    /**
     * @param host           the MySQL server's host name
     * @param port           its port
     * @param masterUsername the master user (RDS's), who may create schemas and users and grant
     * @param masterPassword its password
     */
    public record Db(String host, Integer port, String masterUsername, String masterPassword) {

        @Override
        public String toString() {
            return "Db[host=" + host + ", port=" + port + ", masterUsername=" + masterUsername
                    + ", masterPassword=" + (masterPassword == null ? null : "****") + "]";
        }
    }

    /**
     * @param schema           the service's schema, e.g. {@code coupon_db}
     * @param user             its user, e.g. {@code coupon_svc}; it gets every privilege on the schema and nothing else
     *                         but {@code globalPrivileges}
     * @param passwordSecretId the secret (ARN or name) whose current value is the user's password
     * @param globalPrivileges privileges on {@code *.*}, e.g. {@code XA_RECOVER_ADMIN} for coupon_svc (MySQL 8 only)
     */
    public record Database(String schema, String user, String passwordSecretId, List<String> globalPrivileges) {

        public Database {
            globalPrivileges = globalPrivileges == null ? List.of() : List.copyOf(globalPrivileges);
        }
    }
}
