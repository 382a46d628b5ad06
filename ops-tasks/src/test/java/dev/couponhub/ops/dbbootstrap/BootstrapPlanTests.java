package dev.couponhub.ops.dbbootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.couponhub.ops.InvalidConfigurationException;
import dev.couponhub.ops.dbbootstrap.DbBootstrapProperties.Database;
import dev.couponhub.ops.dbbootstrap.DbBootstrapProperties.Db;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BootstrapPlanTests {

    private static final Db DB = new Db("couponhub.abc123.ap-northeast-2.rds.amazonaws.com", 3306, "couponhub_admin",
            "master-password");
    private static final String COUPON_SECRET = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:couponhub/coupon-service/db-password-AbCdEf";

    @Test
    void validConfigurationThenOneAccountPerDatabaseAndEverySecretOnce() {
        BootstrapPlan plan = BootstrapPlan.of(new DbBootstrapProperties(DB, List.of(
                new Database("coupon_db", "coupon_svc", COUPON_SECRET, List.of("XA_RECOVER_ADMIN", "XA_RECOVER_ADMIN")),
                new Database("user_db", "user_svc", "couponhub/user-service/db-password", null)),
                List.of("couponhub/user-service/admin-password", COUPON_SECRET)));

        assertThat(plan.accounts()).extracting(DatabaseAccount::schema).containsExactly("coupon_db", "user_db");
        assertThat(plan.accounts().get(0).globalPrivileges()).containsExactly("XA_RECOVER_ADMIN");
        assertThat(plan.accounts().get(1).globalPrivileges()).isEmpty();
        assertThat(plan.secretIds()).containsExactly("couponhub/user-service/admin-password", COUPON_SECRET,
                "couponhub/user-service/db-password");
        assertThat(plan.toString()).doesNotContain("master-password");
        assertThat(DB.toString()).doesNotContain("master-password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"coupon_db`; DROP DATABASE mysql; --", "coupon db", "Coupon_db", "1coupon", "coupon-db",
            "coupon_db'", "", "mysql", "information_schema", "쿠폰_db"})
    void schemaNotAPlainLowerCaseNameThenRefused(String schema) {
        assertRefused(new Database(schema, "coupon_svc", COUPON_SECRET, List.of()), "schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"coupon_svc'@'%' IDENTIFIED BY 'x", "coupon_svc@%", "root", "rdsadmin", "couponhub_admin",
            "a_user_name_that_is_longer_than_32", "Coupon"})
    void userNotAPlainLowerCaseNameOrAReservedOneThenRefused(String user) {
        assertRefused(new Database("coupon_db", user, COUPON_SECRET, List.of()), "user");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALL", "ALL PRIVILEGES", "GRANT OPTION", "SUPER", "CREATE USER", "FILE",
            "XA_RECOVER_ADMIN ON *.* TO x; --", "xa_recover_admin", "PROCESS,SUPER", "PROCESS  ", ""})
    void globalPrivilegeNotAPlainNameOrOneThatReachesEverythingThenRefused(String privilege) {
        assertRefused(new Database("coupon_db", "coupon_svc", COUPON_SECRET, List.of(privilege)), "global-privileges");
    }

    @Test
    void secretIdWithOtherCharactersThenRefused() {
        assertRefused(new Database("coupon_db", "coupon_svc", "secret id with spaces", List.of()), "password-secret-id");
        assertRefused(new Database("coupon_db", "coupon_svc", null, List.of()), "password-secret-id");
    }

    @Test
    void sameSchemaOrUserTwiceThenRefused() {
        assertThatThrownBy(() -> BootstrapPlan.of(new DbBootstrapProperties(DB, List.of(
                new Database("coupon_db", "coupon_svc", COUPON_SECRET, List.of()),
                new Database("coupon_db", "coupon_svc", COUPON_SECRET, List.of())), List.of())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("schema coupon_db is listed twice")
                .hasMessageContaining("user coupon_svc is listed twice");
    }

    @Test
    void missingServerSettingsThenEveryOneNamed() {
        assertThatThrownBy(() -> BootstrapPlan.of(new DbBootstrapProperties(new Db("db.example.com/x", 0, " ", ""),
                List.of(new Database("coupon_db", "coupon_svc", COUPON_SECRET, List.of())), List.of())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("DB_HOST")
                .hasMessageContaining("DB_PORT")
                .hasMessageContaining("DB_MASTER_USERNAME")
                .hasMessageContaining("DB_MASTER_PASSWORD");
    }

    @Test
    void schemaGrantEscapesTheUnderscoreWildcardAndPasswordsAreBindParameters() {
        DatabaseAccount account = new DatabaseAccount("coupon_db", "coupon_svc", COUPON_SECRET,
                List.of("XA_RECOVER_ADMIN", "PROCESS"));
        assertThat(account.createDatabase()).isEqualTo("CREATE DATABASE IF NOT EXISTS `coupon_db` CHARACTER SET utf8mb4");
        assertThat(account.createUser()).isEqualTo("CREATE USER IF NOT EXISTS 'coupon_svc'@'%' IDENTIFIED BY ?");
        assertThat(account.alterUser()).isEqualTo("ALTER USER 'coupon_svc'@'%' IDENTIFIED BY ?");
        assertThat(account.grantSchema()).isEqualTo("GRANT ALL PRIVILEGES ON `coupon\\_db`.* TO 'coupon_svc'@'%'");
        assertThat(account.grantGlobal()).containsExactly("GRANT XA_RECOVER_ADMIN, PROCESS ON *.* TO 'coupon_svc'@'%'");
    }

    private static void assertRefused(Database database, String property) {
        assertThatThrownBy(() -> BootstrapPlan.of(new DbBootstrapProperties(DB, List.of(database), List.of())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("couponhub.ops.databases[0]." + property);
    }
}
