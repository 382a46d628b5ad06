package dev.couponhub.gateway.routing;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.factory.rewrite.RewriteFunction;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Points a service's OpenAPI description at the gateway ({@code servers: [{url: "/"}]}), so that
 * Swagger UI's "try it out" goes through the gateway (auth, rate limits) rather than to the service's
 * own address, which browsers cannot reach. Anything that is not a successful JSON document passes
 * through unchanged.
 */
@Component
class ApiDocsServerRewrite implements RewriteFunction<String, String> {

    private final ObjectMapper objectMapper;

    ApiDocsServerRewrite(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Override
    public Publisher<String> apply(ServerWebExchange exchange, String body) {
        if (body == null) {
            return Mono.empty();
        }
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        if (status != null && !status.is2xxSuccessful()) {
            return Mono.just(body);
        }
        try {
            JsonNode document = objectMapper.readTree(body);
            if (!(document instanceof ObjectNode object) || !object.has("openapi")) {
                return Mono.just(body);
            }
            object.set("servers", objectMapper.valueToTree(
                    List.of(Map.of("url", "/", "description", "Couponhub API gateway"))));
            return Mono.just(objectMapper.writeValueAsString(object));
        }
        catch (Exception e) {
            return Mono.just(body);
        }
    }
}
