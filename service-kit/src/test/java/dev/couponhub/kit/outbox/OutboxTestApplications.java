package dev.couponhub.kit.outbox;

import dev.couponhub.testsupport.Queues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * Made-up services for the ITs, on the devstack's MariaDB (a fresh schema per test JVM) and ElasticMQ. Only the
 * auto-configurations a service's outbox meets are imported, so that other packages of the kit stay out of these
 * tests. The data source is {@code SimpleDriverDataSource} ({@code spring.datasource.type}): the kit's test class path
 * has no connection pool.
 */
final class OutboxTestApplications {

    static final String[] PROPERTIES = {
            "spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource",
            // as the services: a fixed dialect (no JDBC metadata at boot, which fails on MariaDB), UTC times
            "spring.jpa.database-platform=org.hibernate.dialect.MySQLDialect",
            "spring.jpa.properties.hibernate.boot.allow_jdbc_metadata_access=false",
            "spring.jpa.properties.hibernate.jdbc.time_zone=UTC",
            "spring.jpa.open-in-view=false",
    };

    private OutboxTestApplications() {
    }

    /** What a service brings besides its database: SQS (through {@code kit.test.sqs-endpoint} when set), meters. */
    @Configuration(proxyBeanMethods = false)
    static class ServiceBeans {

        @Bean(destroyMethod = "close")
        SqsAsyncClient sqsAsyncClient(
                @Value("${kit.test.sqs-endpoint:${spring.cloud.aws.sqs.endpoint}}") String endpoint) {
            return Queues.asyncClient(endpoint);
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    /** A service with JDBC only: {@code DataSourceTransactionManager}. */
    @SpringBootConfiguration
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
            JacksonAutoConfiguration.class, TaskSchedulingAutoConfiguration.class, OutboxAutoConfiguration.class})
    @Import(ServiceBeans.class)
    static class JdbcService {
    }

    /**
     * A service with JPA: {@code JpaTransactionManager}, and entities scanned in its own package only (the kit has
     * none to add).
     */
    @SpringBootConfiguration
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
            HibernateJpaAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TransactionAutoConfiguration.class, JacksonAutoConfiguration.class, TaskSchedulingAutoConfiguration.class,
            OutboxAutoConfiguration.class})
    @EntityScan(basePackageClasses = Parcel.class)
    @Import(ServiceBeans.class)
    static class JpaService {
    }
}
