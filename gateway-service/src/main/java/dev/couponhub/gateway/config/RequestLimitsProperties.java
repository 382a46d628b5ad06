package dev.couponhub.gateway.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The largest request body the gateway passes on (413 {@code PAYLOAD_TOO_LARGE} beyond it). The request line and header
 * limits are Spring Boot's own ({@code server.netty.max-initial-line-length}, {@code server.max-http-request-header-size}).
 */
@ConfigurationProperties("couponhub.gateway.request")
public record RequestLimitsProperties(@DefaultValue("1MB") DataSize maxBodySize) {
}
