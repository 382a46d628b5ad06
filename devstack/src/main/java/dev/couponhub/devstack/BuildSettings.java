package dev.couponhub.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Locations written at build time into {@code devstack-build.properties}: the unpacked Elasticsearch distribution,
 * the GreenMail standalone jar and the Zipkin server jar, all under {@code devstack/target}. System properties override them.
 */
final class BuildSettings {

    static final String ELASTICSEARCH_HOME_PROPERTY = "devstack.elasticsearch.home";
    static final String GREENMAIL_JAR_PROPERTY = "devstack.greenmail.jar";
    static final String ZIPKIN_JAR_PROPERTY = "devstack.zipkin.jar";

    private static final String RESOURCE = "/devstack-build.properties";

    private BuildSettings() {
    }

    static Path elasticsearchHome() {
        return location(ELASTICSEARCH_HOME_PROPERTY, "elasticsearch.home");
    }

    static Path greenMailJar() {
        return location(GREENMAIL_JAR_PROPERTY, "greenmail.jar");
    }

    static Path zipkinJar() {
        return location(ZIPKIN_JAR_PROPERTY, "zipkin.jar");
    }

    private static Path location(String systemProperty, String key) {
        String override = System.getProperty(systemProperty);
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath().normalize();
        }
        String value = load().getProperty(key);
        if (value == null || value.isBlank() || value.contains("@")) {
            throw new DevstackException(RESOURCE + " has no usable '" + key + "'; set -D" + systemProperty);
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = BuildSettings.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        return properties;
    }
}
