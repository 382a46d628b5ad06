package dev.couponhub.ops.dbbootstrap;

import dev.couponhub.ops.InvalidConfigurationException;
import dev.couponhub.ops.dbbootstrap.DbBootstrapProperties.Database;
import dev.couponhub.ops.dbbootstrap.DbBootstrapProperties.Db;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * db-bootstrap's configuration, checked as a whole before anything is read or changed. Schema names, user names and
 * privileges end up in SQL text (they cannot be bind parameters), so each must match a strict pattern; passwords never
 * do (they go through a bind parameter).
 *
 * @param secretIds every secret to fill when empty: the generated ones first, then the databases', each once
 */
record BootstrapPlan(String host, int port, String masterUsername, String masterPassword,
                     List<DatabaseAccount> accounts, List<String> secretIds) {

    /** Lower-case letters, digits and underscores, starting with a letter; MySQL allows 64 characters. */
    static final Pattern SCHEMA = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** The same alphabet; MySQL allows 32 characters in a user name. */
    static final Pattern USER = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** Upper-case words joined by one space or underscore: XA_RECOVER_ADMIN, PROCESS, REPLICATION CLIENT. */
    static final Pattern PRIVILEGE = Pattern.compile("[A-Z]+(?:[ _][A-Z]+){0,7}");
    /** A host name or IPv4 address. */
    static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    /** A secret's ARN or name. */
    static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9/_+=.@:-]{1,2048}");

    /** Schemas of the server itself. */
    static final Set<String> RESERVED_SCHEMAS = Set.of("mysql", "sys", "information_schema", "performance_schema");
    /** Accounts of the server itself (and RDS'). */
    static final Set<String> RESERVED_USERS = Set.of("root", "rdsadmin", "mariadb_sys");
    /**
     * Global privileges that would undo "each user reaches its own schema only": never granted, whatever the
     * configuration says.
     */
    static final Set<String> REFUSED_PRIVILEGES = Set.of("ALL", "ALL PRIVILEGES", "GRANT OPTION", "SUPER", "CREATE USER",
            "FILE", "SHUTDOWN", "PROXY", "SYSTEM_USER", "ROLE_ADMIN", "SET_USER_ID", "SET_ANY_DEFINER");

    BootstrapPlan {
        accounts = List.copyOf(accounts);
        secretIds = List.copyOf(secretIds);
    }

    /**
     * @throws InvalidConfigurationException naming every problem found
     */
    static BootstrapPlan of(DbBootstrapProperties properties) {
        List<String> problems = new ArrayList<>();
        Db db = properties.db();
        if (db.host() == null || !HOST.matcher(db.host()).matches()) {
            problems.add("DB_HOST (couponhub.ops.db.host) must be a host name, was " + quoted(db.host()));
        }
        if (db.port() == null || db.port() < 1 || db.port() > 65535) {
            problems.add("DB_PORT (couponhub.ops.db.port) must be a port number, was " + db.port());
        }
        if (db.masterUsername() == null || db.masterUsername().isBlank()) {
            problems.add("DB_MASTER_USERNAME (couponhub.ops.db.master-username) is required");
        }
        if (db.masterPassword() == null || db.masterPassword().isEmpty()) {
            problems.add("DB_MASTER_PASSWORD (couponhub.ops.db.master-password) is required");
        }

        Set<String> secretIds = new LinkedHashSet<>();
        for (int j = 0; j < properties.generatedSecrets().size(); j++) {
            String id = properties.generatedSecrets().get(j);
            if (id == null || !SECRET_ID.matcher(id).matches()) {
                problems.add("couponhub.ops.generated-secrets[" + j + "] must be a secret ARN or name, was " + quoted(id));
            } else {
                secretIds.add(id);
            }
        }

        if (properties.databases().isEmpty()) {
            problems.add("couponhub.ops.databases is empty: nothing to prepare");
        }
        List<DatabaseAccount> accounts = new ArrayList<>();
        Set<String> schemas = new HashSet<>();
        Set<String> users = new HashSet<>();
        for (int i = 0; i < properties.databases().size(); i++) {
            Database database = properties.databases().get(i);
            String prefix = "couponhub.ops.databases[" + i + "].";
            int before = problems.size();
            String schema = database.schema();
            if (schema == null || !SCHEMA.matcher(schema).matches()) {
                problems.add(prefix + "schema must match " + SCHEMA + ", was " + quoted(schema));
            } else if (RESERVED_SCHEMAS.contains(schema)) {
                problems.add(prefix + "schema " + schema + " belongs to the server");
            } else if (!schemas.add(schema)) {
                problems.add(prefix + "schema " + schema + " is listed twice");
            }
            String user = database.user();
            if (user == null || !USER.matcher(user).matches()) {
                problems.add(prefix + "user must match " + USER + ", was " + quoted(user));
            } else if (RESERVED_USERS.contains(user) || user.equalsIgnoreCase(db.masterUsername())) {
                problems.add(prefix + "user " + user + " is the server's or the master user");
            } else if (!users.add(user)) {
                problems.add(prefix + "user " + user + " is listed twice");
            }
            String secretId = database.passwordSecretId();
            if (secretId == null || !SECRET_ID.matcher(secretId).matches()) {
                problems.add(prefix + "password-secret-id must be a secret ARN or name, was " + quoted(secretId));
            }
            Set<String> privileges = new LinkedHashSet<>();
            for (String privilege : database.globalPrivileges()) {
                if (privilege == null || !PRIVILEGE.matcher(privilege).matches()) {
                    problems.add(prefix + "global-privileges: " + quoted(privilege) + " must match " + PRIVILEGE);
                } else if (REFUSED_PRIVILEGES.contains(privilege)) {
                    problems.add(prefix + "global-privileges: " + privilege + " is never granted to a service user");
                } else {
                    privileges.add(privilege);
                }
            }
            if (problems.size() == before) {
                accounts.add(new DatabaseAccount(schema, user, secretId, List.copyOf(privileges)));
                secretIds.add(secretId);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(String.join("; ", problems));
        }
        return new BootstrapPlan(db.host(), db.port(), db.masterUsername(), db.masterPassword(), accounts,
                List.copyOf(secretIds));
    }

    /** Values in messages are configuration, never a password; still, cut them short. */
    private static String quoted(String value) {
        if (value == null) {
            return "nothing";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    @Override
    public String toString() {
        return "BootstrapPlan[" + host + ":" + port + " as " + masterUsername + ", "
                + accounts.stream().map(DatabaseAccount::schema).toList() + "]";
    }
}
