package dev.couponhub.devstack;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Devstack} starts and where it keeps its data.
 *
 * @param dataDir     directory holding every server's data, the credentials and the lock file
 * @param components  the servers to start
 * @param ports       port per component; a missing entry or 0 means "pick a free port"
 * @param mailApiPort port of GreenMail's HTTP API (with {@link Component#SMTP}); 0 means "pick a free port"
 * @param wipe        delete the contents of the data directory before starting
 * @param stopOnExit  register a JVM shutdown hook that stops the devstack (also one still starting) when the JVM
 *                    exits without {@link Devstack#close()}; owners that order their own shutdown turn it off
 */
public record DevstackConfig(Path dataDir, Set<Component> components, Map<Component, Integer> ports,
                             int mailApiPort, boolean wipe, boolean stopOnExit) {

    /** Default data directory of the program, relative to the current directory. */
    public static final String DEFAULT_DATA_DIR = ".devstack";

    /** Default port of GreenMail's HTTP API for the program. */
    public static final int DEFAULT_MAIL_API_PORT = 8025;

    public DevstackConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(components, "components");
        Objects.requireNonNull(ports, "ports");
        dataDir = dataDir.toAbsolutePath().normalize();
        components = components.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(Component.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(components));
        EnumMap<Component, Integer> portCopy = new EnumMap<>(Component.class);
        ports.forEach((component, port) -> portCopy.put(component, checkPort(component.displayName(), port)));
        ports = Collections.unmodifiableMap(portCopy);
        checkPort("the mail HTTP API", mailApiPort);
    }

    /** The configured port of a component; 0 when a free port is to be picked. */
    public int port(Component component) {
        return ports.getOrDefault(component, 0);
    }

    /**
     * A builder for a devstack in {@code dataDir} with every component, each on a free port: what tests want.
     */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /**
     * A builder with the program's defaults: data in {@code .devstack} under the current directory, every
     * component on its well-known port (MariaDB 3306, Redis 6379, SQS 9324, SMTP 3025, mail HTTP API 8025,
     * Elasticsearch 9200, Zipkin 9411).
     */
    public static Builder programDefaults() {
        Builder builder = new Builder(Path.of(DEFAULT_DATA_DIR));
        for (Component component : Component.values()) {
            builder.port(component, component.defaultPort());
        }
        return builder.mailApiPort(DEFAULT_MAIL_API_PORT);
    }

    private static int checkPort(String what, Integer port) {
        if (port == null || port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Invalid port " + port + " for " + what);
        }
        return port;
    }

    /** Mutable builder of a {@link DevstackConfig}. */
    public static final class Builder {

        private Path dataDir;
        private final EnumSet<Component> components = EnumSet.allOf(Component.class);
        private final EnumMap<Component, Integer> ports = new EnumMap<>(Component.class);
        private int mailApiPort;
        private boolean wipe;
        private boolean stopOnExit = true;

        private Builder(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** Replaces the set of components to start. */
        public Builder components(Component... components) {
            return components(Arrays.asList(components));
        }

        /** Replaces the set of components to start. */
        public Builder components(Collection<Component> components) {
            this.components.clear();
            this.components.addAll(components);
            return this;
        }

        /** Sets the port of a component; 0 picks a free port. */
        public Builder port(Component component, int port) {
            ports.put(Objects.requireNonNull(component, "component"), port);
            return this;
        }

        /** Sets the port of GreenMail's HTTP API; 0 picks a free port. */
        public Builder mailApiPort(int port) {
            this.mailApiPort = port;
            return this;
        }

        /** Every port (mail HTTP API included) is picked free. */
        public Builder freePorts() {
            ports.clear();
            mailApiPort = 0;
            return this;
        }

        public Builder wipe(boolean wipe) {
            this.wipe = wipe;
            return this;
        }

        /** Whether a JVM shutdown hook stops the devstack (default true). */
        public Builder stopOnExit(boolean stopOnExit) {
            this.stopOnExit = stopOnExit;
            return this;
        }

        public DevstackConfig build() {
            return new DevstackConfig(dataDir, components, ports, mailApiPort, wipe, stopOnExit);
        }
    }
}
