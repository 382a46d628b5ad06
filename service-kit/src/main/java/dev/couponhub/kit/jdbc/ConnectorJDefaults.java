package dev.couponhub.kit.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * MySQL Connector/J settings every service's Hikari pool gets unless its own configuration says otherwise: added as
 * the last property source, so {@code application.yml}, profiles, the environment and system properties all win.
 * Without a data source (the gateway) they are never read.
 *
 * <ul>
 *   <li>{@code rewriteBatchedStatements}: a JDBC batch of inserts becomes one multi-row insert (the claim writer, the
 *       outbox, the consumers' writers).</li>
 *   <li>{@code openTelemetry=DISABLED}: no span per JDBC call, which nothing exports (measurable CPU per
 *       statement in issue 13's profile).</li>
 *   <li>{@code cachePrepStmts}, {@code prepStmtCacheSize}, {@code prepStmtCacheSqlLimit},
 *       {@code cacheServerConfiguration}, {@code maintainTimeStats=false}: the driver parses each distinct statement
 *       once and reads the server's variables once per pool, not per connection.</li>
 *   <li>{@code useLocalSessionState}, {@code useLocalTransactionState}, {@code readOnlyPropagatesToServer=false}: the
 *       driver keeps autocommit, isolation and transaction state itself; without them each transaction costs up to
 *       five more statements ({@code SET autocommit}, {@code SET SESSION TRANSACTION ...},
 *       {@code SELECT @@session...}), a third of the database's statements during a stampede (issue 13). A pooled
 *       connection broken during a database outage may then fail one more request, which the pool replaces.</li>
 * </ul>
 *
 * <p>And Spring's {@code spring.jdbc.getParameterType.ignore} flag ({@link SpringProperties}), unless a system property
 * or a {@code spring.properties} file sets it: without it {@code JdbcTemplate} asks the driver for the type of every
 * {@code null} parameter, which Connector/J's client-side prepared statements cannot tell, so each {@code null} cost an
 * {@code SQLException} with its stack trace (notification-service's mail sender: two per recipient per batch). With
 * it, a {@code null} is sent as {@code setNull(i, Types.NULL)}, which MySQL takes for any column.
 *
 * <p>And Flyway's {@code connect-retries} (10, at most 5 s apart): a service's first connection is its migration's,
 * made while the whole suite starts on the same cores, and the pool's 1 s connect time-out (meant for answering 503
 * quickly under load) must not fail the start; about 40 s of retries, then the start fails as before.
 */
public class ConnectorJDefaults implements EnvironmentPostProcessor, Ordered {

    /** The name of the property source this adds. */
    public static final String SOURCE_NAME = "couponhubConnectorJDefaults";
    /** Spring's flag that skips {@code getParameterMetaData().getParameterType(i)} for a {@code null} parameter. */
    static final String IGNORE_GET_PARAMETER_TYPE = "spring.jdbc.getParameterType.ignore";
    private static final String PREFIX = "spring.datasource.hikari.data-source-properties.";

    static final Map<String, Object> DEFAULTS;
    static final Map<String, Object> FLYWAY = Map.of(
            "spring.flyway.connect-retries", "10",
            "spring.flyway.connect-retries-interval", "5s");

    static {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("rewriteBatchedStatements", "true");
        defaults.put("openTelemetry", "DISABLED");
        defaults.put("cachePrepStmts", "true");
        defaults.put("prepStmtCacheSize", "250");
        defaults.put("prepStmtCacheSqlLimit", "2048");
        defaults.put("cacheServerConfiguration", "true");
        defaults.put("maintainTimeStats", "false");
        defaults.put("useLocalSessionState", "true");
        defaults.put("useLocalTransactionState", "true");
        defaults.put("readOnlyPropagatesToServer", "false");
        DEFAULTS = Map.copyOf(defaults);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (SpringProperties.getProperty(IGNORE_GET_PARAMETER_TYPE) == null) {
            SpringProperties.setFlag(IGNORE_GET_PARAMETER_TYPE);
        }
        if (environment.getPropertySources().contains(SOURCE_NAME)) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        DEFAULTS.forEach((name, value) -> properties.put(PREFIX + name, value));
        properties.putAll(FLYWAY);
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, properties));
    }

    /** After Boot's own post-processors; the place in the list (last) is what gives every other source precedence. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
