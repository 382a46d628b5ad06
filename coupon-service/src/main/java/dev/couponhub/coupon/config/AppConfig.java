package dev.couponhub.coupon.config;

import java.time.Clock;

import com.querydsl.jpa.JPQLTemplates;
import com.querydsl.jpa.impl.JPAQueryFactory;
import jakarta.persistence.EntityManager;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ClientProperties.class, ClaimProperties.class, ExpiryProperties.class,
        StoreEventsProperties.class, SearchProperties.class, OpeningProperties.class})
class AppConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Plain JPQL templates: the Hibernate-specific ones of QueryDSL 5 do not fit Hibernate 6. */
    @Bean
    JPAQueryFactory jpaQueryFactory(EntityManager entityManager) {
        return new JPAQueryFactory(JPQLTemplates.DEFAULT, entityManager);
    }
}
