package dev.couponhub.coupon.config;

import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchProperties;
import org.springframework.boot.autoconfigure.elasticsearch.RestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Elasticsearch client (auto-configured from {@code spring.elasticsearch.*}) never waits long for a connection. */
@Configuration(proxyBeanMethods = false)
class SearchConfig {

    /** Waiting for a pooled connection is bounded by the connect timeout too, so no call can hang. */
    @Bean
    RestClientBuilderCustomizer searchConnectionRequestTimeout(ElasticsearchProperties properties) {
        return new RestClientBuilderCustomizer() {
            @Override
            public void customize(org.elasticsearch.client.RestClientBuilder builder) {
                // timeouts are set on the request config below
            }

            @Override
            public void customize(org.apache.http.client.config.RequestConfig.Builder builder) {
                builder.setConnectionRequestTimeout((int) properties.getConnectionTimeout().toMillis());
            }
        };
    }
}
