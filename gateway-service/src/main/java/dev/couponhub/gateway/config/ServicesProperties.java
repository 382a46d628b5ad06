package dev.couponhub.gateway.config;

import java.net.URI;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Base URIs of the backend services the gateway routes to.
 *
 * @param notificationStreamH2c whether the alert stream ({@code /api/v1/notifications/stream}) reaches
 *                              notification-service over HTTP/2 without TLS (h2c, many streams on one connection)
 *                              instead of HTTP/1.1 (a connection per stream); the service accepts both
 */
@ConfigurationProperties("couponhub.gateway.services")
public record ServicesProperties(
        @DefaultValue("http://localhost:8081") URI user,
        @DefaultValue("http://localhost:8082") URI store,
        @DefaultValue("http://localhost:8083") URI coupon,
        @DefaultValue("http://localhost:8084") URI notification,
        @DefaultValue("http://localhost:8085") URI batch,
        @DefaultValue("http://localhost:8086") URI ai,
        @DefaultValue("true") boolean notificationStreamH2c) {
}
