package dev.couponhub.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * Redis from embedded-redis' bundled binary, with its data (append-only file) in {@code <dataDir>/redis} so that
 * keys survive a restart. No {@code maxmemory}: nothing is evicted.
 */
final class RedisServerProcess implements ManagedServer {

    private static final Logger log = LoggerFactory.getLogger(RedisServerProcess.class);

    private final int port;
    private final RedisServer server;

    private RedisServerProcess(int port, RedisServer server) {
        this.port = port;
        this.server = server;
    }

    static RedisServerProcess start(Path dataDir, int port) {
        Path redisDir = dataDir.resolve("redis");
        Path binDir = dataDir.resolve("redis-bin");
        try {
            Files.createDirectories(redisDir);
            Files.createDirectories(binDir);
            RedisServer server = RedisServer.newRedisServer()
                    .executableProvider(ExecutableProvider.newJarResourceProvider(binDir.toFile()))
                    .bind(Ports.HOST)
                    .port(port)
                    .setting("dir " + quote(redisDir.toString()))
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("save \"\"")
                    .setting("daemonize no")
                    .soutListener(line -> log.debug("redis: {}", line))
                    .serrListener(line -> log.warn("redis: {}", line))
                    .build();
            server.start();
            return new RedisServerProcess(port, server);
        } catch (IOException e) {
            throw new DevstackException("Redis failed to start on port " + port + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    @Override
    public void stop() {
        try {
            server.stop();
        } catch (IOException | UncheckedIOException e) {
            log.warn("Stopping Redis failed: {}", e.getMessage());
        }
    }

    /** A value for redis.conf: double-quoted, backslashes and quotes escaped. */
    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
