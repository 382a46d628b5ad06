package dev.couponhub.notification.stream;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Keeps the warm-up's own streams ({@link StreamWarmUp}) out of the request observations: without this, every start
 * would add {@code warm-up.streams} requests to {@code http.server.requests} (and their traces), none of them a
 * client's.
 */
@Configuration(proxyBeanMethods = false)
class StreamWarmUpConfig {

    @Bean
    ObservationPredicate warmUpRequestsUnobserved(StreamWarmUp warmUp) {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && warmUp.isWarmUpRequest(request.getCarrier().getHeaders()));
    }
}
