package dev.couponhub.ops.dbbootstrap;

import java.util.List;

/**
 * One service's schema and user, already checked by {@link BootstrapPlan}: its names match strict patterns and may be
 * written into SQL. The user's host is {@code %}: services run in tasks whose addresses change.
 */
record DatabaseAccount(String schema, String user, String passwordSecretId, List<String> globalPrivileges) {

    static final String HOST = "%";

    /** {@code 'coupon_svc'@'%'} */
    String account() {
        return "'" + user + "'@'" + HOST + "'";
    }

    String createDatabase() {
        return "CREATE DATABASE IF NOT EXISTS `" + schema + "` CHARACTER SET utf8mb4";
    }

    /** With one bind parameter: the password. */
    String createUser() {
        return "CREATE USER IF NOT EXISTS " + account() + " IDENTIFIED BY ?";
    }

    /** With one bind parameter: the password. */
    String alterUser() {
        return "ALTER USER " + account() + " IDENTIFIED BY ?";
    }

    /**
     * Every privilege on the schema, so that Flyway can create and change its tables. In a schema-level grant "_" is a
     * wildcard for any one character: escaped, so that {@code coupon_db} does not also cover {@code couponxdb}, a
     * schema the user could otherwise create.
     */
    String grantSchema() {
        return "GRANT ALL PRIVILEGES ON `" + schema.replace("_", "\\_") + "`.* TO " + account();
    }

    /** Empty when there are no global privileges. */
    List<String> grantGlobal() {
        return globalPrivileges.isEmpty() ? List.of()
                : List.of("GRANT " + String.join(", ", globalPrivileges) + " ON *.* TO " + account());
    }
}
