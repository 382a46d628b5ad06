package dev.couponhub.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

class SchemaIT extends UserServiceItSupport {

    @Value("${spring.jpa.hibernate.ddl-auto}")
    String ddlAuto;

    @Test
    void startThenFlywayAppliedEveryMigrationAndHibernateValidatedTheSchema() {
        List<String> versions = jdbc.queryForList(
                "select version from flyway_schema_history where success = 1 and version is not null order by installed_rank",
                String.class);

        assertThat(versions).containsExactly("1", "2", "3", "4");
        // the context only starts when Hibernate's validation of the entities against these tables passed
        assertThat(ddlAuto).isEqualTo("validate");
    }

    @Test
    void schemaThenActiveEmailAndTokenHashAreUnique() {
        List<String> unique = jdbc.queryForList("""
                select concat(table_name, '.', column_name) from information_schema.statistics
                where table_schema = database() and non_unique = 0 and index_name <> 'PRIMARY'
                order by 1""", String.class);

        assertThat(unique).containsExactly("refresh_tokens.token_hash", "users.active_email");
    }

    @Test
    void schemaThenRefreshTokensIndexedByFamilyAndUser() {
        List<String> indexed = jdbc.queryForList("""
                select column_name from information_schema.statistics
                where table_schema = database() and table_name = 'refresh_tokens' and seq_in_index = 1""",
                String.class);

        assertThat(indexed).contains("family_id", "user_id", "token_hash");
    }
}
