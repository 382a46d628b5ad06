package dev.couponhub.coupon.config;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Migrations read without the pool's socket time-out. The service's connections give up on a silent MySQL after
 * {@code socketTimeout} (2 s) so that an outage is answered 503 within seconds; a migration that rewrites a large
 * table legitimately waits minutes for one statement. Flyway gets the same pool, but each connection it takes has no
 * network time-out ({@link Connection#setNetworkTimeout}); Hikari puts the pool's own back when the connection returns.
 */
@Configuration(proxyBeanMethods = false)
class MigrationConfig {

    @Bean
    FlywayConfigurationCustomizer migrationsWithoutReadTimeout() {
        return configuration -> {
            DataSource pool = configuration.getDataSource();
            configuration.dataSource(new DelegatingDataSource(pool) {
                @Override
                public Connection getConnection() throws SQLException {
                    Connection connection = super.getConnection();
                    connection.setNetworkTimeout(Runnable::run, 0);
                    return connection;
                }
            });
        };
    }
}
