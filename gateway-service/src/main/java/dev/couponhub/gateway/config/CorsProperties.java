package dev.couponhub.gateway.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Browser front ends allowed to call the API from another origin.
 */
@ConfigurationProperties("couponhub.gateway.cors")
public record CorsProperties(
        @DefaultValue({"http://localhost:5173", "http://localhost:8080"}) List<String> allowedOrigins,
        @DefaultValue("1h") Duration maxAge) {
}
